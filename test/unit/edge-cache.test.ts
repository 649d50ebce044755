import { describe, expect, it } from 'vitest';
import { EdgeCache, edgeTtlSeconds, invalidationMatches } from '../../infra/local/edge-cache.js';
import type { HttpResult } from '../../shared/http/responses.js';

const answer = (cacheControl?: string): HttpResult => ({ statusCode: 301, headers: cacheControl ? { 'cache-control': cacheControl } : {}, body: '' });

describe('edgeTtlSeconds', () => {
  it('prefers s-maxage to max-age, as a shared cache does', () => {
    expect(edgeTtlSeconds('public, max-age=3600, s-maxage=86400')).toBe(86400);
    expect(edgeTtlSeconds('public, max-age=60')).toBe(60);
  });

  it('keeps nothing private, uncacheable or without a lifetime', () => {
    for (const value of ['private, max-age=60', 'no-store', 'no-cache, max-age=60', 'public', undefined]) expect(edgeTtlSeconds(value)).toBe(0);
  });
});

describe('EdgeCache', () => {
  it('serves an answer for its lifetime, then asks the origin again', () => {
    let now = 0;
    const cache = new EdgeCache(10, () => now);
    cache.put('/s/abc', answer('max-age=60'));
    now = 59_000;
    expect(cache.get('/s/abc')?.statusCode).toBe(301);
    now = 60_000;
    expect(cache.get('/s/abc')).toBeUndefined();
  });

  it('never stores what may not be cached', () => {
    const cache = new EdgeCache();
    cache.put('/s/def', answer('no-store'));
    expect(cache.get('/s/def')).toBeUndefined();
  });

  it('forgets exactly the paths an invalidation names, and what its wildcards match, nothing else', () => {
    const cache = new EdgeCache();
    const keys = ['/s/abc', '/s/abc/', '/s/abd', '/world/index.html', '/world/page/2/index.html', '/world/page/3/index.html', '/worldwide/page/2/index.html', '/index.html'];
    for (const key of keys) cache.put(key, answer('max-age=60'));
    const forgotten = cache.invalidate(['/s/abc', '/s/abc/', '/world/page/*', '/world/', '/not-cached']);
    expect(forgotten.sort()).toEqual(['/s/abc', '/s/abc/', '/world/page/2/index.html', '/world/page/3/index.html']);
    expect(cache.keys().sort()).toEqual(['/index.html', '/s/abd', '/world/index.html', '/worldwide/page/2/index.html']);
  });

  it('drops the oldest entry when full', () => {
    const cache = new EdgeCache(2);
    for (const code of ['a', 'b', 'c']) cache.put(`/s/${code}`, answer('max-age=60'));
    expect(cache.get('/s/a')).toBeUndefined();
    expect(cache.get('/s/c')).toBeDefined();
  });
});

describe('invalidationMatches', () => {
  it('matches a path exactly, or with * standing for any characters, as CloudFront does', () => {
    expect(invalidationMatches('/world/', '/world/')).toBe(true);
    expect(invalidationMatches('/world/', '/world/index.html')).toBe(false);
    expect(invalidationMatches('/world/page/*', '/world/page/12/index.html')).toBe(true);
    expect(invalidationMatches('/world/page/*', '/world/pages/1/')).toBe(false);
    expect(invalidationMatches('/a.b/*', '/axb/c')).toBe(false);
  });
});
