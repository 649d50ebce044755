import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseCoding, compressLikeCloudFront } from '../../infra/local/compression.js';

const HTML = { 'content-type': 'text/html; charset=utf-8' };
const HTTP_11 = (acceptEncoding: string | undefined) => ({ acceptEncoding, httpVersion: '1.1' });
const PAGE = Buffer.from(`<!doctype html><title>t</title>${'<p>Talks in Cairo.</p>'.repeat(200)}`);

describe('chooseCoding, as CloudFront decides', () => {
  it('prefers Brotli when the viewer takes both, and takes gzip otherwise', () => {
    expect(chooseCoding(HTTP_11('gzip, deflate, br'), HTML, 5_000)).toBe('br');
    expect(chooseCoding(HTTP_11('gzip, deflate'), HTML, 5_000)).toBe('gzip');
  });

  it('compresses nothing the viewer did not ask for or refused with q=0', () => {
    expect(chooseCoding(HTTP_11(undefined), HTML, 5_000)).toBeUndefined();
    expect(chooseCoding(HTTP_11('identity, deflate'), HTML, 5_000)).toBeUndefined();
    expect(chooseCoding(HTTP_11('br;q=0, gzip;q=0.5'), HTML, 5_000)).toBe('gzip');
  });

  it('compresses bodies of 1,000 to 10,000,000 bytes only', () => {
    expect(chooseCoding(HTTP_11('br'), HTML, 999)).toBeUndefined();
    expect(chooseCoding(HTTP_11('br'), HTML, 1_000)).toBe('br');
    expect(chooseCoding(HTTP_11('br'), HTML, 10_000_000)).toBe('br');
    expect(chooseCoding(HTTP_11('br'), HTML, 10_000_001)).toBeUndefined();
  });

  it('compresses the text types CloudFront lists, never photos or types it leaves out', () => {
    for (const type of ['text/html; charset=utf-8', 'application/json', 'application/rss+xml; charset=utf-8', 'application/xml', 'image/svg+xml', 'text/plain', 'TEXT/CSS']) {
      expect(chooseCoding(HTTP_11('br'), { 'content-type': type }, 5_000), type).toBe('br');
    }
    for (const type of ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream', 'application/atom+xml']) {
      expect(chooseCoding(HTTP_11('br'), { 'content-type': type }, 5_000), type).toBeUndefined();
    }
    expect(chooseCoding(HTTP_11('br'), {}, 5_000)).toBeUndefined();
  });

  it('never compresses a response that already has a Content-Encoding, nor for an HTTP/1.0 request', () => {
    expect(chooseCoding(HTTP_11('br'), { ...HTML, 'Content-Encoding': 'identity' }, 5_000)).toBeUndefined();
    expect(chooseCoding({ acceptEncoding: 'br', httpVersion: '1.0' }, HTML, 5_000)).toBeUndefined();
  });
});

describe('compressLikeCloudFront', () => {
  it('sends a Brotli body that decodes to the original, with content-encoding and vary', async () => {
    const { headers, body } = await compressLikeCloudFront(HTTP_11('br'), { ...HTML, 'content-length': String(PAGE.length) }, PAGE);
    expect(headers['content-encoding']).toBe('br');
    expect(headers.vary).toBe('accept-encoding');
    expect(headers).not.toHaveProperty('content-length');
    expect(body.length).toBeLessThan(PAGE.length);
    expect(brotliDecompressSync(body).equals(PAGE)).toBe(true);
  });

  it('sends gzip to a viewer without Brotli, adding to an existing Vary', async () => {
    const { headers, body } = await compressLikeCloudFront(HTTP_11('gzip'), { ...HTML, vary: 'origin' }, PAGE);
    expect(headers['content-encoding']).toBe('gzip');
    expect(headers.vary).toBe('origin, accept-encoding');
    expect(gunzipSync(body).equals(PAGE)).toBe(true);
  });

  it('weakens a strong ETag, keeps a weak one and drops an invalid one', async () => {
    const etagAfter = async (etag: string) => (await compressLikeCloudFront(HTTP_11('br'), { ...HTML, etag }, PAGE)).headers.etag;
    expect(await etagAfter('"abc"')).toBe('W/"abc"');
    expect(await etagAfter('W/"abc"')).toBe('W/"abc"');
    expect(await etagAfter('abc')).toBeUndefined();
  });

  it('returns a response it may not compress exactly as it came', async () => {
    const headers = { 'content-type': 'image/jpeg', etag: '"abc"' };
    const result = await compressLikeCloudFront(HTTP_11('br'), headers, PAGE);
    expect(result.headers).toBe(headers);
    expect(result.body).toBe(PAGE);
  });
});
