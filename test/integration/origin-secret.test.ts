import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ORIGIN_SECRET_HEADER } from '../../shared/http/origin-secret.js';
import type { HttpEvent, HttpResult } from '../../shared/http/responses.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

/**
 * Every HTTP function refuses a request that did not come through CloudFront (no origin header, or
 * a wrong one), before it reads anything: the `execute-api` URL is public, and a request there
 * would skip CloudFront's cache, WAF and the throttles meant for readers.
 */
const event = (name: string) => JSON.parse(readFileSync(new URL(`../events/http-api/${name}.json`, import.meta.url), 'utf8')) as HttpEvent;

let runtime: TestRuntime;
const handlers: Record<'api' | 'redirect' | 'pages', (event: HttpEvent) => Promise<HttpResult>> = {} as never;

beforeAll(async () => {
  runtime = await startTestRuntime();
  handlers.api = (await import('../../functions/api.js')).handler;
  handlers.redirect = (await import('../../functions/redirect.js')).handler;
  handlers.pages = (await import('../../functions/pages.js')).handler;
});
afterAll(async () => {
  await runtime?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** An event for each function that it answers (not 403) when it comes through CloudFront. */
const cases = [
  { fn: 'api', event: () => ({ ...event('post-article-without-key'), headers: { ...event('post-article-without-key').headers, authorization: `Bearer ${runtime.apiKey}` } }), through: 201 },
  { fn: 'redirect', event: () => event('get-short-link'), through: 404 },
  { fn: 'pages', event: () => event('get-tag-percent'), through: 301 },
] as const;

/** What the functions log to stderr while `run` runs. */
async function logsOf(run: () => Promise<unknown>): Promise<string> {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  await run();
  vi.restoreAllMocks();
  return written.join('');
}

describe('the origin secret, checked by every HTTP function', () => {
  it.each(cases)('$fn: without the header, 403 with a body that says nothing about why', async ({ fn, event: make }) => {
    const result = await handlers[fn](make());
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!)).toEqual({ message: 'Forbidden' });
    expect(result.headers['cache-control']).toBe('no-store');
  });

  it.each(cases)('$fn: with a wrong value, 403, and the log names the path but never the value sent', async ({ fn, event: make }) => {
    const forged = 'forged-' + runtime.originSecret.slice(7);
    const request = make();
    let result: HttpResult | undefined;
    const logs = await logsOf(async () => (result = await handlers[fn]({ ...request, headers: { ...request.headers, [ORIGIN_SECRET_HEADER]: forged } })));
    expect(result?.statusCode).toBe(403);
    expect(logs).toContain('request without the origin secret refused');
    expect(logs).toContain(request.rawPath);
    expect(logs).not.toContain(forged);
    expect(logs).not.toContain(runtime.originSecret);
  });

  it.each(cases)('$fn: with the value CloudFront sends, the request is answered ($through)', async ({ fn, event: make, through }) => {
    expect((await handlers[fn](runtime.viaCloudFront(make()))).statusCode).toBe(through);
  });

  it('the header name is matched whatever its case, as HTTP headers are', async () => {
    const request = event('get-short-link');
    const result = await handlers.redirect({ ...request, headers: { ...request.headers, 'X-Pressline-Origin': runtime.originSecret } });
    expect(result.statusCode).toBe(404);
  });

  it('through the local router (CloudFront\'s stand-in) the header is added, and a viewer\'s own is replaced, never trusted', async () => {
    expect((await fetch(`${runtime.baseUrl}/s/zzzzzzz`)).status).toBe(404);
    const forged = await fetch(`${runtime.baseUrl}/s/zzzzzzz`, { headers: { [ORIGIN_SECRET_HEADER]: 'anything' } });
    expect(forged.status).toBe(404);
    const api = await fetch(`${runtime.apiUrl}/articles`, { headers: { authorization: `Bearer ${runtime.apiKey}`, [ORIGIN_SECRET_HEADER]: 'anything' } });
    expect(api.status).toBe(200);
  });

  it('a refused request leaves nothing behind: the publish it carried is not stored', async () => {
    const headline = 'Never stored: sent around CloudFront';
    const request = { ...cases[0].event(), isBase64Encoded: false, body: JSON.stringify({ headline, section: 'world', body: 'Text.' }) };
    expect((await handlers.api(request)).statusCode).toBe(403);
    const listed = await (await fetch(`${runtime.apiUrl}/articles`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).text();
    expect(listed).toContain('Cairo talks');
    expect(listed).not.toContain(headline);
  });
});
