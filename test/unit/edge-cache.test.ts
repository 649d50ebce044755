import { describe, expect, it } from 'vitest';
import { EdgeCache, edgeTtlSeconds } from '../../infra/local/edge-cache.js';
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

  it('forgets everything on purge and never stores what may not be cached', () => {
    const cache = new EdgeCache();
    cache.put('/s/abc', answer('max-age=60'));
    cache.put('/s/def', answer('no-store'));
    expect(cache.get('/s/def')).toBeUndefined();
    cache.purge();
    expect(cache.get('/s/abc')).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = new EdgeCache(2);
    for (const code of ['a', 'b', 'c']) cache.put(`/s/${code}`, answer('max-age=60'));
    expect(cache.get('/s/a')).toBeUndefined();
    expect(cache.get('/s/c')).toBeDefined();
  });
});
