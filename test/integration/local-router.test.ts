import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type Published, type TestRuntime } from '../support/local-runtime.js';

/**
 * `npm start`'s router against what CloudFront, S3 and API Gateway answer for the same request:
 * odd paths, long URLs, large bodies and encodings that try to leave the route they came in by.
 */
let runtime: TestRuntime;
let article: Published;

beforeAll(async () => {
  runtime = await startTestRuntime();
  article = await runtime.publishOk({ headline: 'Talks resume in Doha', section: 'world', byline: 'AFP', tags: ['Qatar'], body: 'Talks resumed.' });
});
afterAll(async () => {
  await runtime?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with its target sent byte for byte: fetch would resolve dot segments before sending. */
function send(method: string, target: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port } = new URL(runtime.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path: target, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const get = (target: string) => send('GET', target);
const post = (target: string, body: Buffer) =>
  send('POST', target, body, { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' });

const NOT_FOUND_PAGE = '<h1>Page not found</h1>';

describe('odd paths, as CloudFront and S3 answer them', () => {
  it.each(['//', '/world//', '//world/', '/world//index.html'])('%s answers the 404 page, not a 502', async (path) => {
    const answer = await get(path);
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain(NOT_FOUND_PAGE);
  });

  it('answers a path of 8,000 characters with the 404 page', async () => {
    const answer = await get(`/world/${'a'.repeat(8_000)}/`);
    expect(answer.status).toBe(404);
    expect(answer.body).toContain(NOT_FOUND_PAGE);
  });

  it('answers a URL over CloudFront’s 8,192 bytes with CloudFront’s own 413', async () => {
    const answer = await get(`/world/${'a'.repeat(8_200)}/`);
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('text/html');
    expect(answer.body).toContain('The request could not be satisfied');
  });

  it.each(['/media/..%2f..%2fpressline-site', '/media/..%2F..%2Fpressline-site', '/media/%2e%2e%2f%2e%2e%2fpressline-site', '/media/../../pressline-site', '/media/..%2f..%2fpressline-media/../pressline-site'])(
    'never serves a site page through %s/…: S3 keys are literal',
    async (prefix) => {
      const answer = await get(`${prefix}${new URL(article.url).pathname}index.html`);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('Talks resume in Doha');
    },
  );

  it('still serves the page itself and an Arabic listing by their encoded paths', async () => {
    expect((await get(`${new URL(article.url).pathname}`)).body).toContain('<h1>Talks resume in Doha</h1>');
    expect((await get('/tags/qatar/')).status).toBe(200);
  });
});

describe('paths as API Gateway hands them to the pages function', () => {
  it('answers API Gateway’s own 400 for /tags/100%25/: it decodes the path twice, and "100%/" is malformed', async () => {
    const answer = await get('/tags/100%25/');
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({ message: 'Bad Request' });
  });

  it('redirects a tag spelled with an encoded percent sign to its slug, with a Location of ASCII only', async () => {
    // %2525 reaches the function as "%" (decoded twice): the tag "100%" is the tag "100".
    const answer = await get('/tags/100%2525/');
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe('/tags/100/');
  });

  it('redirects an Arabic tag with an emoji to its Arabic slug, percent-encoded', async () => {
    const answer = await get(`/tags/${encodeURIComponent('غزة🎉')}/`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`/tags/${encodeURIComponent('غزة')}/`);
  });
});

describe('request bodies, as API Gateway and Lambda limit them', () => {
  it('answers a body over API Gateway’s 10 MB with a JSON 413 and reads it to the end: the connection is never reset', async () => {
    const answer = await post('/api/articles', Buffer.alloc(11 * 1024 * 1024, 'a'));
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({ message: 'Request Entity Too Large' });
  });

  it('answers a request over Lambda’s 6 MB payload as API Gateway does, without calling the handler', async () => {
    const submission = Buffer.from(JSON.stringify({ headline: 'Too big', section: 'world', body: 'a'.repeat(6_300_000) }));
    const answer = await post('/api/articles', submission);
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({ message: 'Request Entity Too Large' });
  });

  it('leaves a body between Pressline’s 5,500,000 bytes and Lambda’s limit to the handler, which says what to do', async () => {
    const submission = Buffer.from(JSON.stringify({ headline: 'Big', section: 'world', body: 'a'.repeat(5_600_000) }));
    const answer = await post('/api/articles', submission);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('serves the next request on the same origin after refusing a large body', async () => {
    await post('/api/articles', Buffer.alloc(11 * 1024 * 1024, 'a'));
    expect((await get('/tags/qatar/')).status).toBe(200);
  });
});
