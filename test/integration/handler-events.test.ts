import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '../../shared/http/responses.js';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

/** Events as API Gateway delivers them (payload 2.0), fed straight to the handlers CDK deploys. */
const event = (name: string) => JSON.parse(readFileSync(new URL(`../events/http-api/${name}.json`, import.meta.url), 'utf8')) as HttpEvent;

let runtime: TestRuntime;
let api: (event: HttpEvent) => Promise<HttpResult>;
let redirect: (event: HttpEvent) => Promise<HttpResult>;

beforeAll(async () => {
  // The runtime sets the handlers' environment, exactly as the stack does on Lambda.
  runtime = await startTestRuntime();
  ({ handler: api } = await import('../../functions/api.js'));
  ({ handler: redirect } = await import('../../functions/redirect.js'));
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
    const result = await api(withKey);
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body!).url).toBe(`${runtime.baseUrl}/world/${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/cairo-talks/`);
  });

  it('redirect: an unknown code is a 404 HTML page with the security headers', async () => {
    const result = await redirect(event('get-short-link'));
    expect(result.statusCode).toBe(404);
    expect(result.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(result.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
