/**
 * Index pages, feeds and sitemaps change with every publish: a minute at the edge and in browsers
 * bounds how long a new article (or a takedown) takes to show, with no invalidation needed.
 */
export const LISTING_CACHE_CONTROL = 'public, max-age=60';

/**
 * 404 and 410 answers, from the pages and redirect functions: a missing path can start to exist
 * (an empty section gets its first article), so misses are kept short too.
 */
export const MISS_CACHE_CONTROL = 'public, max-age=60';
