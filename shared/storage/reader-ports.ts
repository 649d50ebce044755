import type { Article } from '../article/article.js';
import type { ArticleSummary } from './ports.js';

/**
 * What index pages, feeds and sitemaps read: listings (`all`, `section#…`, `tag#…`, `author#…`),
 * newest first, always through the `byList` index, never a table scan.
 */
export interface ListingStore {
  /**
   * One page of a listing, newest first: skips `offset` entries, then returns up to `limit`.
   * DynamoDB cannot jump to an offset, so the skipped entries are still read (keys only); callers
   * bound the offset.
   */
  newest(list: string, page: { offset: number; limit: number }): Promise<ArticleSummary[]>;
  /** Entries published at or after `since` (ISO 8601, UTC), newest first, at most `limit`. */
  publishedSince(list: string, since: string, limit: number): Promise<ArticleSummary[]>;
  /** Entries published in one month (`2024-04`), newest first, at most `limit`. */
  publishedInMonth(list: string, month: string, limit: number): Promise<ArticleSummary[]>;
  /** The months (`2024-04`) in which the listing has entries, newest first. */
  months(list: string): Promise<string[]>;
}

/** The article that holds a URL path, if any: tells a removed article's page (410) from one that never was (404). */
export interface ArticlePathLookup {
  articleAtPath(path: string): Promise<Article | undefined>;
}
