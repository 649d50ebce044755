import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { apiGatewayRawPath, toHttpApiEvent } from '../../infra/local/http-event.js';

describe('apiGatewayRawPath: the rawPath API Gateway (HTTP API) hands a function', () => {
  // Paths sent to a deployed HTTP API and the rawPath its function received (live captures published
  // with an open-source Lambda runtime's tests): decoded for routing, truncated at a decoded "?",
  // then decoded once more; a path with a malformed escape at either step never reaches the function.
  it.each([
    ['/capture/plain', '/capture/plain'],
    ['/capture/space%20value', '/capture/space value'],
    ['/capture/question%3Fvalue', '/capture/question'],
    ['/capture/hash%23value', '/capture/hash#value'],
    ['/capture/slash%2Fvalue', '/capture/slash/value'],
    ['/capture/unicode-%CE%BB-%E4%B8%96%E7%95%8C', '/capture/unicode-λ-世界'],
    ['/capture/literal%252Fvalue', '/capture/literal/value'],
    ['/capture/literal%253Fvalue', '/capture/literal?value'],
    ['/capture/literal%2525value', '/capture/literal%value'],
    ['/tags/%D8%BA%D8%B2%D8%A9/index.html', '/tags/غزة/index.html'],
    ['/tags/%F0%9F%8E%89/index.html', '/tags/🎉/index.html'],
    ['/tags/غزة/index.html', '/tags/غزة/index.html'],
    ['/tags/100%2525/index.html', '/tags/100%/index.html'],
    ['/world/%E0/index.html', '/world/\uFFFD/index.html'],
    ['/tags/%ED%A0%80/', '/tags/\uFFFD\uFFFD\uFFFD/'],
  ])('%s reaches the function as %s', (sent, rawPath) => {
    expect(apiGatewayRawPath(sent)).toBe(rawPath);
  });

  it.each(['/capture/percent%25done', '/tags/100%25/index.html', '/tags/100%/', '/tags/%E0%A4%A/', '/tags/%zz/', '/tags/%2/'])(
    '%s never reaches the function (API Gateway answers 400)',
    (sent) => {
      expect(apiGatewayRawPath(sent)).toBeUndefined();
    },
  );
});

describe('toHttpApiEvent', () => {
  const request = (url: string) =>
    ({ method: 'GET', url, httpVersion: '1.1', headers: { host: 'localhost:3000', 'user-agent': 'test' }, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;

  it('builds the payload 2.0 event with the decoded rawPath, the query as sent, and repeated parameters joined by commas', () => {
    const event = toHttpApiEvent(request('/tags/%D8%BA%D8%B2%D8%A9/?utm_source=a%20b&x=1&x=2'), Buffer.alloc(0), 'GET /{proxy+}', '/tags/غزة/index.html');
    expect(event.rawPath).toBe('/tags/غزة/index.html');
    expect(event.requestContext.http.path).toBe('/tags/غزة/index.html');
    expect(event.pathParameters).toEqual({ proxy: 'tags/غزة/index.html' });
    expect(event.rawQueryString).toBe('utm_source=a%20b&x=1&x=2');
    expect(event.queryStringParameters).toEqual({ utm_source: 'a b', x: '1,2' });
  });

  it('names the greedy path parameter after the route’s own prefix', () => {
    expect(toHttpApiEvent(request('/s/abc2345'), Buffer.alloc(0), 'GET /s/{proxy+}', '/s/abc2345').pathParameters).toEqual({ proxy: 'abc2345' });
    expect(toHttpApiEvent(request('/api/articles'), Buffer.alloc(0), 'ANY /api/{proxy+}', '/api/articles').pathParameters).toEqual({ proxy: 'articles' });
  });

  it('passes a JSON body as text only when it is valid UTF-8, else base64-encoded as API Gateway does', () => {
    const post = { ...request('/api/articles'), method: 'POST', headers: { host: 'localhost:3000', 'content-type': 'application/json' } } as unknown as IncomingMessage;
    const text = toHttpApiEvent(post, Buffer.from('{"headline":"غزة"}'), 'ANY /api/{proxy+}', '/api/articles');
    expect(text).toMatchObject({ body: '{"headline":"غزة"}', isBase64Encoded: false });
    const broken = Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x7d]);
    const binary = toHttpApiEvent(post, broken, 'ANY /api/{proxy+}', '/api/articles');
    expect(binary).toMatchObject({ body: broken.toString('base64'), isBase64Encoded: true });
  });
});
