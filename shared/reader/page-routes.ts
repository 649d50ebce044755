import { listingSlug } from '../article/listing-slug.js';
import { RESERVED_SECTIONS, SECTION_SLUG } from '../article/limits.js';
import { FAVICON_PATH, NEWS_SITEMAP_PATH, ROBOTS_PATH, SITEMAP_INDEX_PATH, encodePathSegment, listingBasePath, listingPath, type FeedFormat, type Listing } from '../render/site-paths.js';

/** Deepest index page served: DynamoDB reads every skipped entry's keys, so depth costs reads. Sitemaps reach the rest. */
export const MAX_INDEX_PAGE = 50;

/** What a path the site bucket did not have asks for. */
export type PageRoute =
  /** Without its final slash, an index page that exists redirects to the slashed path; an empty one is a 404 all the same. */
  | { kind: 'index'; listing: Listing; page: number; hasTrailingSlash: boolean }
  | { kind: 'feed'; listing: Listing; format: FeedFormat }
  | { kind: 'sitemap-index' }
  | { kind: 'article-sitemap'; month: string }
  | { kind: 'news-sitemap' }
  | { kind: 'robots' }
  | { kind: 'favicon' }
  /** Shaped like an article's path: 410 if its article was removed, else 404 (or a redirect adding the slash). */
  | { kind: 'article'; path: string; hasTrailingSlash: boolean }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-found' };

const NOT_FOUND: PageRoute = { kind: 'not-found' };
const PAGE_NUMBER = /^[1-9]\d{0,3}$/;
const ARTICLE_SITEMAP = /^\/sitemaps\/articles-(\d{4})-(0[1-9]|1[0-2])\.xml$/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is left after a listing's own path: nothing, a feed, or a page number. */
function listingRoute(listing: Listing, rest: string[], hasTrailingSlash: boolean): PageRoute {
  const [first, second, ...more] = rest;
  if (first === undefined) return { kind: 'index', listing, page: 1, hasTrailingSlash };
  if (second === undefined && !hasTrailingSlash && (first === 'feed.xml' || first === 'atom.xml')) {
    return { kind: 'feed', listing, format: first === 'feed.xml' ? 'rss' : 'atom' };
  }
  if (first === 'page' && second !== undefined && more.length === 0 && PAGE_NUMBER.test(second)) {
    const page = Number(second);
    if (page === 1) return { kind: 'redirect', location: listingPath(listing) };
    return page <= MAX_INDEX_PAGE ? { kind: 'index', listing, page, hasTrailingSlash } : NOT_FOUND;
  }
  return NOT_FOUND;
}

/**
 * A tag or author page under its canonical slug; another spelling ("/tags/Gaza/") of a page that
 * exists there redirects to it, percent-encoded (a Location header is ASCII).
 */
function namedListing(kind: 'tag' | 'author', name: string | undefined, rest: string[], hasTrailingSlash: boolean): PageRoute {
  if (!name) return NOT_FOUND;
  const slug = listingSlug(name);
  if (!slug) return NOT_FOUND;
  const listing: Listing = { kind, slug };
  const route = listingRoute(listing, rest, hasTrailingSlash);
  if (slug === name || route.kind === 'not-found' || route.kind === 'redirect') return route;
  const restPath = rest.map(encodePathSegment).join('/') + (hasTrailingSlash && rest.length ? '/' : '');
  return { kind: 'redirect', location: listingBasePath(listing) + restPath };
}

/**
 * Maps a request path to what it asks for. The path is the `rawPath` API Gateway hands the function,
 * already percent-decoded (`/tags/غزة/`), so a `%` in it is a percent sign. CloudFront's viewer-request
 * function has already turned `/world/` into `/world/index.html` (the site bucket's key), so that
 * spelling means the folder.
 */
export function parsePagePath(rawPath: string): PageRoute {
  const path = rawPath.endsWith('/index.html') ? rawPath.slice(0, -'index.html'.length) : rawPath;
  if (!path.startsWith('/') || LONE_SURROGATE.test(path)) return NOT_FOUND;
  switch (path) {
    case '/':
      return { kind: 'index', listing: { kind: 'home' }, page: 1, hasTrailingSlash: true };
    case '/feed.xml':
      return { kind: 'feed', listing: { kind: 'home' }, format: 'rss' };
    case '/atom.xml':
      return { kind: 'feed', listing: { kind: 'home' }, format: 'atom' };
    case SITEMAP_INDEX_PATH:
      return { kind: 'sitemap-index' };
    case NEWS_SITEMAP_PATH:
      return { kind: 'news-sitemap' };
    case ROBOTS_PATH:
      return { kind: 'robots' };
    case FAVICON_PATH:
      return { kind: 'favicon' };
  }
  const month = ARTICLE_SITEMAP.exec(path);
  if (month) return { kind: 'article-sitemap', month: `${month[1]}-${month[2]}` };

  const hasTrailingSlash = path.endsWith('/');
  const segments = path.slice(1, hasTrailingSlash ? -1 : undefined).split('/');
  if (segments.some((s) => s === '')) return NOT_FOUND;
  const [head, ...rest] = segments;
  if (head === undefined) return NOT_FOUND;

  if (head === 'tags' || head === 'authors') return namedListing(head === 'tags' ? 'tag' : 'author', rest[0], rest.slice(1), hasTrailingSlash);
  if (head === 'page') return listingRoute({ kind: 'home' }, segments, hasTrailingSlash);
  if (!SECTION_SLUG.test(head) || RESERVED_SECTIONS.has(head)) return NOT_FOUND;

  // `/<section>/<yyyy>/<mm>/<dd>/<slug>/`, as publishing builds it.
  if (rest.length === 4 && /^\d{4}$/.test(rest[0]!) && /^\d{2}$/.test(rest[1]!) && /^\d{2}$/.test(rest[2]!)) {
    return { kind: 'article', path: hasTrailingSlash ? path : `${path}/`, hasTrailingSlash };
  }
  return listingRoute({ kind: 'section', section: head }, rest, hasTrailingSlash);
}
