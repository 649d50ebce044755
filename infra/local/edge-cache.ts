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

/** Does a CloudFront invalidation path name `key`? Exact, or `*` standing for any characters. */
export function invalidationMatches(path: string, key: string): boolean {
  if (!path.includes('*')) return path === key;
  const pattern = path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(key);
}

/**
 * The local stand-in for CloudFront's cache: answers kept for their Cache-Control, shared by every
 * reader, under the key CloudFront caches them by (the path after the viewer function, no query
 * string). It forgets exactly the paths an invalidation names, as CloudFront does, never
 * everything: a path a change forgot to name stays stale here as it would on AWS.
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

  /** Forgets the cached answers the paths name; returns the keys it forgot. */
  invalidate(paths: readonly string[]): string[] {
    const forgotten: string[] = [];
    for (const path of paths) {
      if (!path.includes('*')) {
        if (this.entries.delete(path)) forgotten.push(path);
        continue;
      }
      for (const key of [...this.entries.keys()]) {
        if (invalidationMatches(path, key)) {
          this.entries.delete(key);
          forgotten.push(key);
        }
      }
    }
    return forgotten;
  }

  /** The keys held now (expired ones included until they are asked for). */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}
