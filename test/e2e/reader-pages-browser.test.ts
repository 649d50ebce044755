import { mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PAGE_NAMES, startReaderSite, type ReaderSite } from './support/reader-site.js';
import { launchChromium } from './support/tools.js';

/** The budget: the article's HTML and CSS fit the first round trip of a new TCP connection (10 × 1460 bytes). */
const FIRST_ROUND_TRIP_BYTES = 14_600;
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const AXE_SOURCE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

let site: ReaderSite;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [site, browser] = await Promise.all([startReaderSite(), launchChromium()]);
  // A reader's browser: the pages' own Content-Security-Policy applies (no bypass), so axe runs
  // through the DevTools protocol (page.evaluate), which the policy does not govern.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await site?.stop();
});

interface Visit {
  page: Page;
  status: number | undefined;
  requests: string[];
  consoleErrors: string[];
}

/** Opens a URL in a fresh tab, noting every request the page makes and every console error (CSP violations included). */
async function visit(url: string, viewport?: { width: number; height: number }): Promise<Visit> {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  return { page, status: response?.status(), requests, consoleErrors };
}

/**
 * Code run in the page is passed as text: the project compiles for Node without the DOM library,
 * so what comes back is `unknown` and is parsed or compared, never assumed.
 */
const inPage = (page: Page, expression: string): Promise<unknown> => page.evaluate(expression);
const computed = (selector: string, property: string) => `getComputedStyle(document.querySelector(${JSON.stringify(selector)}))[${JSON.stringify(property)}]`;

const axeResultSchema = z.array(
  z.object({ id: z.string(), impact: z.string().nullish(), help: z.string(), nodes: z.array(z.object({ target: z.array(z.unknown()) })) }),
);

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = axeResultSchema.parse(await inPage(page, '(async () => (await window.axe.run(document)).violations)()'));
  return violations.map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('axe-core audit in headless Chromium', () => {
  it.each(PAGE_NAMES)('%s has zero violations', async (name) => {
    const target = site.pages.find((p) => p.name === name)!;
    const { page, status } = await visit(target.url);
    try {
      expect(status).toBe(target.status);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('the wire fixture without its photo', () => {
  it(`is at most ${FIRST_ROUND_TRIP_BYTES} bytes gzip-compressed, HTML and CSS together`, async () => {
    const html = await (await fetch(site.wireNoPhoto.url)).text();
    // The stylesheet is inline: there is no other CSS file to add to the sum.
    expect(html).not.toMatch(/<link[^>]+rel="?stylesheet/);
    expect(html).toContain('<style>');
    expect(gzipSync(html, { level: 9 }).length).toBeLessThanOrEqual(FIRST_ROUND_TRIP_BYTES);
  });

  it('loads with the document as its only request, no script and no console error', async () => {
    const { page, requests, consoleErrors } = await visit(site.wireNoPhoto.url);
    try {
      expect(requests).toEqual([site.wireNoPhoto.url]);
      expect(consoleErrors).toEqual([]);
      expect(await inPage(page, '[...document.scripts].map((s) => s.type)')).toEqual(['application/ld+json']);
      // The inline stylesheet applied under the CSP: its hash matched.
      expect(await inPage(page, computed('.site-header', 'borderBottomStyle'))).toBe('solid');
    } finally {
      await page.close();
    }
  });
});

describe('the wire fixture with its photo', () => {
  it('requests nothing but the document and one rendition of its photo, in AVIF', async () => {
    const { page, requests, consoleErrors } = await visit(site.wire.url);
    try {
      expect(requests).toHaveLength(2);
      expect(requests[0]).toBe(site.wire.url);
      expect(requests[1]).toMatch(/\/media\/[^/]+\/[\w-]+-\d+\.avif$/);
      expect(consoleErrors).toEqual([]);
      expect(await inPage(page, "document.querySelector('figure img').naturalWidth")).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });

  it('describes itself with NewsArticle JSON-LD that parses in the browser', async () => {
    const { page } = await visit(site.wire.url);
    try {
      const blocks = z
        .array(z.record(z.string(), z.unknown()))
        .parse(await inPage(page, `[...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent))`));
      expect(blocks).toHaveLength(1);
      const article = blocks[0]!;
      expect(article['@type']).toBe('NewsArticle');
      for (const field of ['headline', 'image', 'datePublished', 'dateModified', 'author', 'publisher', 'mainEntityOfPage']) expect(article[field], field).toBeTruthy();
    } finally {
      await page.close();
    }
  });

  it('fits a 360 px phone without sideways scrolling, and prints without the site chrome', async () => {
    const { page } = await visit(site.wire.url, { width: 360, height: 740 });
    try {
      expect(await inPage(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
      await page.emulateMedia({ media: 'print' });
      expect(await inPage(page, computed('.site-header', 'display'))).toBe('none');
      expect(await inPage(page, computed('article h1', 'display'))).toBe('block');
    } finally {
      await page.close();
    }
  });
});

describe('the Arabic article', () => {
  it('reads right to left from the document down, with the site\'s words in Arabic and only its English names marked as English', async () => {
    const { page, consoleErrors } = await visit(site.arabic.url);
    try {
      const seen = await inPage(
        page,
        `({
          lang: document.documentElement.lang,
          dir: document.documentElement.dir,
          directions: ['body', 'article', 'h1', 'article p', 'h2', 'blockquote'].map((s) => getComputedStyle(document.querySelector(s)).direction),
          names: [...document.querySelectorAll('.site-header, .site-footer')].map((e) => e.getAttribute('lang')),
          words: [...document.querySelectorAll('.skip, .short-link')].map((e) => [e.getAttribute('lang'), e.textContent.split(':')[0].trim()]),
        })`,
      );
      expect(seen).toEqual({
        lang: 'ar',
        dir: 'rtl',
        directions: ['rtl', 'rtl', 'rtl', 'rtl', 'rtl', 'rtl'],
        names: ['en', 'en'],
        words: [
          [null, 'انتقل إلى المحتوى'],
          [null, 'رابط مختصر'],
        ],
      });
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('what a reader sees, at phone and wide-screen sizes (screenshots saved under test/artifacts/)', () => {
  /** Layout facts measured in the page: what a screenshot would show a person. */
  const LAYOUT = `(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.body.querySelectorAll('*')].filter((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && (box.right > width + 1 || box.left < -1) && !el.closest('.skip');
    }).map((el) => el.tagName + '.' + el.className);
    const images = [...document.images].filter((img) => img.getBoundingClientRect().width > 0).map((img) => ({
      loaded: img.complete && img.naturalWidth > 0,
      stretch: Math.abs(img.getBoundingClientRect().width / img.getBoundingClientRect().height - img.naturalWidth / img.naturalHeight),
    }));
    const h1 = document.querySelector('h1').getBoundingClientRect();
    const column = document.querySelector('main').getBoundingClientRect();
    const padding = parseFloat(getComputedStyle(document.querySelector('main')).paddingInlineStart);
    return {
      overflow: document.documentElement.scrollWidth - width,
      outside,
      images,
      bodyTextPx: parseFloat(getComputedStyle(document.querySelector('main article > p:not([class])') ?? document.body).fontSize),
      headlineStart: document.dir === 'rtl' ? column.right - padding - h1.right : h1.left - column.left - padding,
    };
  })()`;
  const layoutSchema = z.object({
    overflow: z.number(),
    outside: z.array(z.string()),
    images: z.array(z.object({ loaded: z.boolean(), stretch: z.number() })),
    bodyTextPx: z.number(),
    headlineStart: z.number(),
  });

  it.each([
    ['wire fixture on a phone', 'wire-fixture-390.png', 390, 'wire'],
    ['wire fixture on a wide screen', 'wire-fixture-1280.png', 1280, 'wire'],
    ['Arabic article on a phone', 'arabic-article-390.png', 390, 'arabic'],
    ['Arabic article on a wide screen', 'arabic-article-1280.png', 1280, 'arabic'],
    ['home page on a wide screen', 'home-1280.png', 1280, 'home'],
  ] as const)('lays out the %s with nothing cut off, photos loaded and unstretched, readable text, the headline at the column’s start', async (_what, file, width, which) => {
    const url = which === 'home' ? `${site.runtime.baseUrl}/` : site[which].url;
    const { page } = await visit(url, { width, height: 900 });
    try {
      const layout = layoutSchema.parse(await inPage(page, LAYOUT));
      expect(layout.overflow).toBeLessThanOrEqual(0);
      expect(layout.outside).toEqual([]);
      for (const image of layout.images) {
        expect(image.loaded).toBe(true);
        expect(image.stretch).toBeLessThan(0.02);
      }
      expect(layout.bodyTextPx).toBeGreaterThanOrEqual(16);
      // Right to left, the headline starts at the column's right edge; left to right, at its left.
      expect(Math.abs(layout.headlineStart)).toBeLessThanOrEqual(1);
      await page.screenshot({ path: `${ARTIFACTS}${file}`, fullPage: true });
    } finally {
      await page.close();
    }
  });
});
