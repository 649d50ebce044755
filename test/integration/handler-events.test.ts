import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '../../shared/http/responses.js';
import { ARABIC_SUBMISSION } from '../e2e/support/reader-site.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

/** Events as API Gateway delivers them (payload 2.0) from CloudFront, fed straight to the handlers CDK deploys. */
const event = (name: string) => runtime.viaCloudFront(JSON.parse(readFileSync(new URL(`../events/http-api/${name}.json`, import.meta.url), 'utf8')) as HttpEvent);

/** `2024/04/07`: today's date in UTC, as article paths spell it. */
const utcDatePath = () => new Date().toISOString().slice(0, 10).replace(/-/g, '/');

let runtime: TestRuntime;
let api: (event: HttpEvent) => Promise<HttpResult>;
let redirect: (event: HttpEvent) => Promise<HttpResult>;
let pages: (event: HttpEvent) => Promise<HttpResult>;

beforeAll(async () => {
  // The runtime sets the handlers' environment, exactly as the stack does on Lambda.
  runtime = await startTestRuntime();
  ({ handler: api } = await import('../../functions/api.js'));
  ({ handler: redirect } = await import('../../functions/redirect.js'));
  ({ handler: pages } = await import('../../functions/pages.js'));
  await runtime.publishOk(ARABIC_SUBMISSION);
});
afterAll(async () => {
  await runtime?.stop();
});

describe('handlers given API Gateway events', () => {
  it('api: a base64-encoded POST without a key is a 401 JSON error', async () => {
    const result = await api(event('post-article-without-key'));
    expect(result.statusCode).toBe(401);
    expect(result.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(result.body!)).toMatchObject({ error: { code: 'unauthenticated', fields: [] } });
  });

  it('api: the same POST with a key publishes', async () => {
    const withKey = event('post-article-without-key');
    withKey.headers.authorization = `Bearer ${runtime.apiKey}`;
    // The article is dated when it is published: either side of a UTC midnight the test may straddle.
    const before = utcDatePath();
    const result = await api(withKey);
    const after = utcDatePath();
    expect(result.statusCode).toBe(201);
    expect([before, after].map((date) => `${runtime.baseUrl}/world/${date}/cairo-talks/`)).toContain(JSON.parse(result.body!).url);
  });

  it('redirect: an unknown code is a 404 HTML page with the security headers', async () => {
    const result = await redirect(event('get-short-link'));
    expect(result.statusCode).toBe(404);
    expect(result.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(result.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('redirect: a short code of emoji, decoded as API Gateway hands it, is a 404 page', async () => {
    const result = await redirect(event('get-short-link-emoji'));
    expect(result.statusCode).toBe(404);
    expect(result.headers['content-type']).toBe('text/html; charset=utf-8');
  });
});

/**
 * API Gateway hands the pages function a rawPath it has already percent-decoded (twice: see
 * `infra/local/http-event.ts`), so these events carry Arabic, emoji and literal percent signs.
 */
describe('the pages function given decoded paths, as API Gateway delivers them', () => {
  it('pages: an Arabic tag is its tag page', async () => {
    const result = await pages(event('get-tag-arabic'));
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('<h1>غزة</h1>');
  });

  it('pages: a percent sign is taken as the character it already is: the tag "100%" redirects to its slug', async () => {
    const result = await pages(event('get-tag-percent'));
    expect(result.statusCode).toBe(301);
    expect(result.headers.location).toBe('/tags/100/');
  });

  it('pages: a byline with an emoji redirects to its Arabic slug, percent-encoded', async () => {
    const result = await pages(event('get-author-arabic-emoji'));
    expect(result.statusCode).toBe(301);
    expect(result.headers.location).toBe(`/authors/${encodeURIComponent('أ-ف-ب')}/`);
  });

  it('pages: a tag path no page has is a 404, never a redirect to a Location that is not ASCII', async () => {
    const result = await pages(event('get-tag-emoji'));
    expect(result.statusCode).toBe(404);
    expect(result.headers.location).toBeUndefined();
  });
});
