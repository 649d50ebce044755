import type { Article } from '../article/article.js';
import { listingsOf } from '../article/listings.js';
import { objectKeysOf } from '../media/media.js';
import { articleSitemapPath, feedPath, listingBasePath, NEWS_SITEMAP_PATH, SITEMAP_INDEX_PATH, type Listing } from '../render/site-paths.js';

/** CloudFront's viewer function serves `/x/` from `/x/index.html`: the cached object has that key. */
const cachedForms = (path: string) => (path.endsWith('/') ? [path, `${path}index.html`] : [path]);

/**
 * The CDN paths whose cached copies show an article: its page, its short link, its photo, and
 * every listing, feed and sitemap it appears in. Named one by one, so a takedown never clears the
 * whole cache (`/*`) or every article of a section (`/world/*`). CloudFront allows only 15
 * wildcard paths in progress, so only the home and section listings get one, for their
 * `page/N/` pages; later pages of tag and author listings catch up within their minute of cache.
 */
export function pathsShowing(article: Pick<Article, 'id' | 'path' | 'shortCode' | 'section' | 'byline' | 'tags' | 'publishedAt' | 'leadImage' | 'previousPaths'>): string[] {
  const isPagedWildcard = (listing: Listing) => listing.kind === 'home' || listing.kind === 'section';
  const listingPaths = (listing: Listing) => [
    ...cachedForms(listingBasePath(listing)),
    feedPath(listing, 'rss'),
    feedPath(listing, 'atom'),
    ...(isPagedWildcard(listing) ? [`${listingBasePath(listing)}page/*`] : []),
  ];
  const paths = [
    ...cachedForms(article.path),
    `/s/${article.shortCode}`,
    ...(article.leadImage ? objectKeysOf(article.leadImage).map((key) => `/${key}`) : []),
    ...listingsOf(article).flatMap(listingPaths),
    SITEMAP_INDEX_PATH,
    articleSitemapPath(article.publishedAt.slice(0, 7)),
    NEWS_SITEMAP_PATH,
    // URLs it had before a slug change: they answer 301 now, 410 after a takedown.
    ...(article.previousPaths ?? []).flatMap(cachedForms),
  ];
  return [...new Set(paths)];
}
