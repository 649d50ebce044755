import type { Article } from '../article/article.js';
import { assertNever } from '../assert-never.js';
import { listingsOf } from '../article/listings.js';
import { objectKeysOf } from '../media/media.js';
import { articleSitemapPath, feedPath, listingBasePath, NEWS_SITEMAP_PATH, SITEMAP_INDEX_PATH, type Listing } from '../render/site-paths.js';

/** What of an article decides which cached copies show it. */
export type ShownArticle = Pick<Article, 'id' | 'path' | 'shortCode' | 'section' | 'byline' | 'tags' | 'publishedAt' | 'leadImage' | 'previousPaths'>;

/** A change readers can see, with the article as it was and as it is. */
export type ArticleChange =
  | { kind: 'published'; article: ShownArticle }
  | { kind: 'corrected'; before: ShownArticle; after: ShownArticle }
  | { kind: 'slug-changed'; before: ShownArticle; after: ShownArticle }
  | { kind: 'taken-down'; article: ShownArticle };

export type ArticleChangeKind = ArticleChange['kind'];

/**
 * Every spelling of an article's URL a reader can have cached: `/x/` is served from `/x/index.html`
 * by the viewer function (that is CloudFront's cache key), and `/x` answers a redirect, a 404 or a 410.
 */
const articleSpellings = (path: string) => [path, `${path}index.html`, path.replace(/\/$/, '')];

/** The redirect accepts a copied link's final slash, and CloudFront caches `/s/CODE/` apart from `/s/CODE`. */
const shortLinkSpellings = (code: string) => [`/s/${code}`, `/s/${code}/`];

const photoPaths = (article: ShownArticle) => (article.leadImage ? objectKeysOf(article.leadImage).map((key) => `/${key}`) : []);

/**
 * A listing's pages and feeds. Home and section listings get one wildcard for their `page/N/`
 * pages (CloudFront allows 15 wildcard paths in progress); later pages of tag and author listings
 * catch up within their minute of cache. A listing an article enters may be new: its slash-less
 * spelling answered 404 (cached a minute) and now redirects.
 */
function listingPaths(listing: Listing, entering: boolean): string[] {
  const base = listingBasePath(listing);
  const paged = listing.kind === 'home' || listing.kind === 'section';
  return [
    base,
    `${base}index.html`,
    ...(entering && base !== '/' ? [base.slice(0, -1)] : []),
    feedPath(listing, 'rss'),
    feedPath(listing, 'atom'),
    ...(paged ? [`${base}page/*`] : []),
  ];
}

const sitemapPaths = (...articles: ShownArticle[]) => [SITEMAP_INDEX_PATH, ...articles.map((a) => articleSitemapPath(a.publishedAt.slice(0, 7))), NEWS_SITEMAP_PATH];

const listingKey = (listing: Listing) => listingBasePath(listing);

/** The listings of `after`, each marked whether the article enters it, then those it leaves. */
function listingsAcross(before: ShownArticle, after: ShownArticle): string[] {
  const had = new Set(listingsOf(before).map(listingKey));
  const has = new Set(listingsOf(after).map(listingKey));
  return [
    ...listingsOf(after).flatMap((listing) => listingPaths(listing, !had.has(listingKey(listing)))),
    ...listingsOf(before)
      .filter((listing) => !has.has(listingKey(listing)))
      .flatMap((listing) => listingPaths(listing, false)),
  ];
}

/** The old photo's keys, when a correction replaced or dropped it: renditions are cached for a year. */
const replacedPhoto = (before: ShownArticle, after: ShownArticle) => (before.leadImage && before.leadImage.mediaId !== after.leadImage?.mediaId ? photoPaths(before) : []);

/**
 * The exact CDN paths whose cached copies a change makes wrong, named one by one (never `/*` or a
 * whole section), so that invalidations stay cheap and precise:
 * - published: its URL and short link in every spelling (a 404 may be cached there), the listings,
 *   feeds and sitemaps it enters. Its photo has new keys nobody has fetched.
 * - corrected: its page, the listings it is in, enters or leaves, the sitemaps (last modified), and
 *   a replaced photo. Its short link still points to the same place.
 * - slug-changed: a correction, plus the old and new URLs in every spelling and the short link.
 * - taken-down: everything that showed it, including the URLs it had before a slug change.
 */
export function invalidationPaths(change: ArticleChange): string[] {
  switch (change.kind) {
    case 'published': {
      const { article } = change;
      return unique([
        ...articleSpellings(article.path),
        ...shortLinkSpellings(article.shortCode),
        ...listingsOf(article).flatMap((listing) => listingPaths(listing, true)),
        ...sitemapPaths(article),
      ]);
    }
    case 'corrected': {
      const { before, after } = change;
      return unique([after.path, `${after.path}index.html`, ...listingsAcross(before, after), ...sitemapPaths(before, after), ...replacedPhoto(before, after)]);
    }
    case 'slug-changed': {
      const { before, after } = change;
      return unique([
        ...articleSpellings(before.path),
        ...articleSpellings(after.path),
        ...shortLinkSpellings(after.shortCode),
        ...listingsAcross(before, after),
        ...sitemapPaths(before, after),
        ...replacedPhoto(before, after),
      ]);
    }
    case 'taken-down': {
      const { article } = change;
      return unique([
        ...articleSpellings(article.path),
        ...(article.previousPaths ?? []).flatMap(articleSpellings),
        ...shortLinkSpellings(article.shortCode),
        ...photoPaths(article),
        ...listingsOf(article).flatMap((listing) => listingPaths(listing, false)),
        ...sitemapPaths(article),
      ]);
    }
    default:
      return assertNever(change);
  }
}

/** The id of the changed article, for the queue message and its logs. */
export const articleIdOf = (change: ArticleChange) => ('article' in change ? change.article.id : change.after.id);

const unique = (paths: string[]) => [...new Set(paths)];
