import type { HttpResult } from '../../shared/http/responses.js';

/**
 * How long a shared cache may keep a response: `s-maxage`, else `max-age`; nothing for `private`,
 * `no-store` or `no-cache`. The same reading CloudFront makes of an origin's Cache-Control.
 */
export function edgeTtlSeconds(cacheControl: string | undefined): number {
  if (!cacheControl || /\b(private|no-store|no-cache)\b/i.test(cacheControl)) return 0;
  const shared = /\bs-maxage=(\d+)/i.exec(cacheControl) ?? /\bmax-age=(\d+)/i.exec(cacheControl);
  return shared ? Number(shared[1]) : 0;
}

/**
 * The local stand-in for CloudFront's cache on `/s/*`: answers kept for their Cache-Control,
 * shared by every reader, and purged whenever the API changes an article (where the deployed API
 * invalidates the distribution), so a takedown is as immediate locally as on AWS.
 */
export class EdgeCache {
  private readonly entries = new Map<string, { result: HttpResult; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): HttpResult | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.result;
    this.entries.delete(key);
    return undefined;
  }

  put(key: string, result: HttpResult): void {
    const ttl = edgeTtlSeconds(result.headers['cache-control']);
    if (ttl <= 0) return;
    // A Map iterates in insertion order: the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { result, expiresAt: this.now() + ttl * 1000 });
  }

  purge(): void {
    this.entries.clear();
  }
}
