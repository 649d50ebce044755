import { listingSlug } from '../article/listing-slug.js';
import { assertNever } from '../assert-never.js';

/**
 * Every public path of the reader side in one place: the pages link with these, the pages
 * handler answers them, and the README's "Reader pages" table lists them.
 */
export interface SiteUrls {
  /** Origin readers use, no trailing slash. */
  publicBaseUrl: string;
}

/** What an index page, a feed or a listing query is about. */
export type Listing = { kind: 'home' } | { kind: 'section'; section: string } | { kind: 'tag'; slug: string } | { kind: 'author'; slug: string };

export type FeedFormat = 'rss' | 'atom';

export const SITEMAP_INDEX_PATH = '/sitemap.xml';
export const NEWS_SITEMAP_PATH = '/news-sitemap.xml';
export const ROBOTS_PATH = '/robots.txt';
export const FAVICON_PATH = '/favicon.ico';

export const articleUrl = (article: { path: string }, site: SiteUrls) => site.publicBaseUrl + article.path;
export const shortUrl = (code: string, site: SiteUrls) => `${site.publicBaseUrl}/s/${code}`;
export const mediaUrl = (key: string, site: SiteUrls) => `${site.publicBaseUrl}/${key}`;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * One path segment, percent-encoded. A lone surrogate (half of a character: no slug makes one, but
 * a path must never throw) becomes U+FFFD, as a UTF-8 encoder writes it, where `encodeURIComponent`
 * would throw.
 */
export function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment.replace(LONE_SURROGATE, '\uFFFD'));
}

/** `/`, `/world/`, `/tags/gaza/`, `/authors/afp/`: where a listing's first page lives. */
export function listingBasePath(listing: Listing): string {
  switch (listing.kind) {
    case 'home':
      return '/';
    case 'section':
      return `/${listing.section}/`;
    case 'tag':
      return `/tags/${encodePathSegment(listing.slug)}/`;
    case 'author':
      return `/authors/${encodePathSegment(listing.slug)}/`;
    default:
      return assertNever(listing);
  }
}

/** Page 1 is the listing's own path; later pages are `<path>page/<n>/`, distinct paths the CDN caches without query strings. */
export function listingPath(listing: Listing, page = 1): string {
  const base = listingBasePath(listing);
  return page <= 1 ? base : `${base}page/${page}/`;
}

export function feedPath(listing: Listing, format: FeedFormat): string {
  return `${listingBasePath(listing)}${format === 'rss' ? 'feed.xml' : 'atom.xml'}`;
}

export const sectionPath = (section: string) => listingPath({ kind: 'section', section });
export const tagPath = (tag: string) => listingPath({ kind: 'tag', slug: listingSlug(tag) });
export const authorPath = (byline: string) => listingPath({ kind: 'author', slug: listingSlug(byline) });

/** `/sitemaps/articles-2024-04.xml`: one sitemap per month of publication, so none nears the 50,000-URL limit. */
export const articleSitemapPath = (month: string) => `/sitemaps/articles-${month}.xml`;

/** "uk-politics" → "Uk politics": a section's heading, from its slug (sections carry no display name). */
export function sectionName(section: string): string {
  const words = section.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
