import { listingSlug } from '../article/listing-slug.js';
import { assertNever } from '../assert-never.js';
import { SITE } from '../site.js';
import { renderAtomFeed, renderRssFeed, type FeedContent } from '../render/feeds.js';
import { renderIndexPage } from '../render/index-page.js';
import { FAVICON_PNG } from '../render/favicon.js';
import { SITEMAP_INDEX_PATH, listingPath, sectionName, type Listing, type SiteUrls } from '../render/site-paths.js';
import {
  NEWS_SITEMAP_MAX_URLS,
  NEWS_SITEMAP_WINDOW_MS,
  SITEMAP_MAX_URLS,
  renderArticleSitemap,
  renderNewsSitemap,
  renderSitemapIndex,
} from '../render/sitemaps.js';
import type { ArticleSummary } from '../storage/ports.js';
import type { ArticlePathLookup, ListingStore } from '../storage/reader-ports.js';
import { lists } from '../storage/table-layout.js';
import { listNameOf } from '../article/listings.js';
import type { PageRoute } from './page-routes.js';

export const INDEX_PAGE_SIZE = 20;
export const FEED_SIZE = 30;

export interface ReaderDeps {
  listings: ListingStore;
  articles: ArticlePathLookup;
  urls: SiteUrls;
  now?: () => Date;
}

/** What the pages handler answers, before it becomes HTTP. */
export type ReaderAnswer =
  | { kind: 'page'; body: string }
  | { kind: 'feed'; format: 'rss' | 'atom'; body: string }
  | { kind: 'sitemap'; body: string }
  | { kind: 'text'; body: string }
  | { kind: 'icon'; body: Buffer }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-found' }
  | { kind: 'gone' };

/** A listing's heading, in the words its articles use: the tag as written, the byline as signed. */
function headingOf(listing: Listing, articles: ArticleSummary[]): string {
  switch (listing.kind) {
    case 'home':
      return 'Latest news';
    case 'section':
      return sectionName(listing.section);
    case 'tag':
      return articles.flatMap((a) => a.tags).find((t) => listingSlug(t) === listing.slug) ?? listing.slug;
    case 'author':
      return articles.map((a) => a.byline).find((b) => b !== undefined && listingSlug(b) === listing.slug) ?? listing.slug;
    default:
      return assertNever(listing);
  }
}

function descriptionOf(listing: Listing, heading: string): string {
  switch (listing.kind) {
    case 'home':
      return SITE.description;
    case 'section':
      return `${heading}: the latest articles from the ${SITE.name} newsroom.`;
    case 'tag':
      return `Articles about ${heading} from the ${SITE.name} newsroom.`;
    case 'author':
      return `Articles by ${heading} for ${SITE.name}.`;
    default:
      return assertNever(listing);
  }
}

/**
 * Answers a path the site bucket did not have: index pages, feeds and sitemaps computed from the
 * listings (queries on the `byList` index), the 410 page of a removed article, and 404 for the rest.
 * An empty section, tag or author listing is a 404, so a mistyped section never shows an empty page.
 */
export async function serveReaderPage(route: PageRoute, deps: ReaderDeps): Promise<ReaderAnswer> {
  const now = (deps.now ?? (() => new Date()))();
  switch (route.kind) {
    case 'index': {
      const { listing, page } = route;
      const found = await deps.listings.newest(listNameOf(listing), { offset: (page - 1) * INDEX_PAGE_SIZE, limit: INDEX_PAGE_SIZE + 1 });
      if (found.length === 0 && (listing.kind !== 'home' || page > 1)) return { kind: 'not-found' };
      if (!route.hasTrailingSlash) return { kind: 'redirect', location: listingPath(listing, page) };
      const articles = found.slice(0, INDEX_PAGE_SIZE);
      const heading = headingOf(listing, articles);
      const body = renderIndexPage(
        { listing, heading, description: descriptionOf(listing, heading), page, hasNext: found.length > INDEX_PAGE_SIZE, articles },
        deps.urls,
      );
      return { kind: 'page', body };
    }
    case 'feed': {
      const { listing, format } = route;
      const articles = await deps.listings.newest(listNameOf(listing), { offset: 0, limit: FEED_SIZE });
      if (articles.length === 0 && listing.kind !== 'home') return { kind: 'not-found' };
      const heading = headingOf(listing, articles);
      const content: FeedContent = {
        listing,
        title: listing.kind === 'home' ? SITE.name : `${heading} | ${SITE.name}`,
        description: descriptionOf(listing, heading),
        articles,
      };
      return { kind: 'feed', format, body: format === 'rss' ? renderRssFeed(content, deps.urls, now) : renderAtomFeed(content, deps.urls, now) };
    }
    case 'sitemap-index':
      return { kind: 'sitemap', body: renderSitemapIndex(await deps.listings.months(lists.all), deps.urls) };
    case 'article-sitemap': {
      const articles = await deps.listings.publishedInMonth(lists.all, route.month, SITEMAP_MAX_URLS);
      return articles.length ? { kind: 'sitemap', body: renderArticleSitemap(articles, deps.urls) } : { kind: 'not-found' };
    }
    case 'news-sitemap': {
      const since = new Date(now.getTime() - NEWS_SITEMAP_WINDOW_MS).toISOString();
      return { kind: 'sitemap', body: renderNewsSitemap(await deps.listings.publishedSince(lists.all, since, NEWS_SITEMAP_MAX_URLS), deps.urls) };
    }
    case 'robots':
      return { kind: 'text', body: `User-agent: *\nDisallow: /api/\nSitemap: ${deps.urls.publicBaseUrl}${SITEMAP_INDEX_PATH}\n` };
    case 'favicon':
      return { kind: 'icon', body: FAVICON_PNG };
    case 'article': {
      const article = await deps.articles.articleAtPath(route.path);
      if (!article) return { kind: 'not-found' };
      switch (article.status) {
        case 'removed':
          return { kind: 'gone' };
        case 'published':
          // An editor changed its slug: the old URL answers 301 to the new one, for good.
          if (article.path !== route.path) return { kind: 'redirect', location: deps.urls.publicBaseUrl + article.path };
          // The page itself is in the site bucket; only a path without its final slash lands here.
          return route.hasTrailingSlash ? { kind: 'not-found' } : { kind: 'redirect', location: route.path };
        case 'draft':
        case 'submitted':
        case 'scheduled':
          // Nothing about an unpublished article is visible, not even that its URL is taken.
          return { kind: 'not-found' };
        default:
          return assertNever(article.status);
      }
    }
    case 'redirect':
      return { kind: 'redirect', location: route.location };
    case 'not-found':
      return { kind: 'not-found' };
    default:
      return assertNever(route);
  }
}
