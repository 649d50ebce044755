import { describe, expect, it } from 'vitest';
import { INDEX_PAGE_FUNCTION_CODE } from '../../infra/constructs/index-page-function.js';
import { pageKey } from '../../shared/storage/s3-stores.js';

interface ViewerRequest {
  uri: string;
  querystring: Record<string, { value: string }>;
}
type Handler = (event: { request: ViewerRequest }) => ViewerRequest;

// The deployed source text, evaluated as CloudFront's runtime would: a script defining `handler`.
const handler = new Function(`${INDEX_PAGE_FUNCTION_CODE}\nreturn handler;`)() as Handler;
const rewrite = (uri: string) => handler({ request: { uri, querystring: {} } }).uri;

describe('the viewer-request function of the default behaviour', () => {
  it.each([
    ['/', '/index.html'],
    ['/world/', '/world/index.html'],
    ['/world/2026/11/25/israel-pulls-troops-out-of-southern-gaza/', '/world/2026/11/25/israel-pulls-troops-out-of-southern-gaza/index.html'],
  ])('asks the site bucket for the index.html under %s', (uri, expected) => {
    expect(rewrite(uri)).toBe(expected);
  });

  it.each(['/feed.xml', '/sitemap.xml', '/world/2026/11/25/slug', '/index.html'])('leaves %s as it is', (uri) => {
    expect(rewrite(uri)).toBe(uri);
  });

  it.each(['/', '/world/', '/world/2026/11/25/slug/'])('asks for the same object the site store writes for %s', (path) => {
    expect(rewrite(path).slice(1)).toBe(pageKey(path));
  });

  it('keeps the query string (CloudFront decides what reaches the origin)', () => {
    const request = { uri: '/world/', querystring: { page: { value: '2' } } };
    expect(handler({ request })).toEqual({ uri: '/world/index.html', querystring: { page: { value: '2' } } });
  });
});
