import type { Browser, Page } from 'playwright-core';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, newsroomContentSecurityPolicy } from '../../shared/render/security-headers.js';
import { STYLES_CSP_HASH } from '../../shared/render/styles.js';
import { wireSubmission } from '../support/fixtures.js';
import { startTestRuntime, type Published, type TestRuntime } from '../support/local-runtime.js';
import { inspectHtml } from '../support/page-safety.js';
import { launchChromium } from './support/tools.js';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['node'];

let runtime: TestRuntime;
let browser: Browser;
let wire: Published;

beforeAll(async () => {
  [runtime, browser] = await Promise.all([startTestRuntime(), launchChromium()]);
  wire = await runtime.publishOk(wireSubmission());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** `a; b c` → { a: [], b: ['c'] }. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
}

function elements(node: Node, found: Element[] = []): Element[] {
  if ('tagName' in node) found.push(node);
  if ('childNodes' in node) for (const child of node.childNodes) elements(child, found);
  return found;
}

/** Adds an inline script to the live page and says whether it ran, and whether the browser reported refusing it. */
async function inlineScriptRuns(page: Page): Promise<{ ran: boolean; refused: boolean }> {
  return (await page.evaluate(`new Promise((resolve) => {
    let ran = false;
    // A script element's text runs as it is inserted, if at all; the report of its refusal comes as an event.
    const outcome = (refused) => resolve({ ran, refused });
    document.addEventListener('securitypolicyviolation', (e) => { if (e.effectiveDirective.startsWith('script-src')) outcome(true); });
    setTimeout(() => outcome(false), 5000);
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    ran = window.__inlineRan === true;
  })`)) as { ran: boolean; refused: boolean };
}

describe('the Content-Security-Policy in force on /newsroom/', () => {
  it('lets the app run only its own script and connect only to the API and the upload endpoint', async () => {
    const response = await fetch(`${runtime.baseUrl}/newsroom/`);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy')!;
    const uploadOrigin = new URL(runtime.s3Endpoint).origin;
    expect(policy).toBe(newsroomContentSecurityPolicy(uploadOrigin));
    expect(directives(policy)).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", STYLES_CSP_HASH],
      'img-src': ["'self'", 'data:', 'blob:'],
      'connect-src': ["'self'", uploadOrigin],
      'frame-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
    expect(policy).not.toMatch(/unsafe-|\*/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('serves its script and stylesheet by hashed name, cached for good, under the same policy', async () => {
    const page = await (await fetch(`${runtime.baseUrl}/newsroom/`)).text();
    const assets = [...page.matchAll(/(?:src|href)="(app\.[0-9a-f]{12}\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      const response = await fetch(`${runtime.baseUrl}/newsroom/${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-type')).toMatch(asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      expect(response.headers.get('content-security-policy')).toBe(newsroomContentSecurityPolicy(new URL(runtime.s3Endpoint).origin));
    }
  });

  it('has no inline script, no style element and no style or event-handler attribute in its page', async () => {
    const found = elements(parse(await (await fetch(`${runtime.baseUrl}/newsroom/`)).text()));
    const scripts = found.filter((e) => e.tagName === 'script');
    expect(scripts.map((s) => s.attrs.find((a) => a.name === 'src')?.value)).toEqual([expect.stringMatching(/^app\.[0-9a-f]{12}\.js$/)]);
    expect(scripts.every((s) => s.childNodes.length === 0)).toBe(true);
    expect(found.filter((e) => e.tagName === 'style')).toEqual([]);
    expect(found.flatMap((e) => e.attrs.filter((a) => a.name === 'style' || a.name.startsWith('on')).map((a) => `${e.tagName} ${a.name}`))).toEqual([]);
  });

  it('refuses an inline script injected into the running app', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${runtime.baseUrl}/newsroom/`);
      await page.getByLabel('API key', { exact: true }).waitFor();
      expect(await inlineScriptRuns(page)).toEqual({ ran: false, refused: true });
    } finally {
      await page.close();
    }
  });
});

describe('no inline script runs anywhere on the site', () => {
  const readerPages = () => [wire.url, `${runtime.baseUrl}/`, `${runtime.baseUrl}/world/`, `${runtime.baseUrl}/tags/gaza/`, `${runtime.baseUrl}/authors/afp/`, `${runtime.baseUrl}/no/such/page`];

  it('reader pages carry no script but JSON-LD data blocks, and a policy without script-src', async () => {
    for (const url of readerPages()) {
      const response = await fetch(url);
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(directives(CONTENT_SECURITY_POLICY)['script-src']).toBeUndefined();
      expect(inspectHtml(await response.text()).problems, url).toEqual([]);
    }
  });

  it('refuses an inline script injected into a reader page', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(wire.url);
      expect(await inlineScriptRuns(page)).toEqual({ ran: false, refused: true });
    } finally {
      await page.close();
    }
  });
});
