import type { Logger } from '../log.js';
import { renderArticlePage } from '../render/article-page.js';
import type { SiteUrls } from '../render/site-paths.js';
import type { ArticleStore, CdnInvalidator, SiteStore } from '../storage/ports.js';
import type { ListingStore } from '../storage/reader-ports.js';
import { lists } from '../storage/table-layout.js';
import { reconcileWithStored } from './reconcile-page.js';

export interface RerenderDeps {
  listings: ListingStore;
  articles: ArticleStore;
  site: SiteStore;
  cdn: CdnInvalidator;
  urls: SiteUrls;
  logger: Logger;
}

/** The pages were re-rendered, but the CDN refused the invalidation: readers see old copies until they expire or someone invalidates `/*`. */
export class RerenderedNotInvalidatedError extends Error {
  constructor(
    readonly pages: number,
    options: { cause: unknown },
  ) {
    super(`Re-rendered ${pages} article pages, but the CDN refused to invalidate /*: ${options.cause instanceof Error ? `${options.cause.name}: ${options.cause.message}` : String(options.cause)}`, options);
    this.name = 'RerenderedNotInvalidatedError';
  }
}

/** Pages uploaded at once: enough to hide S3 latency, few enough to stay clear of throttling. */
const PARALLEL_UPLOADS = 8;
/** More articles than a newsroom publishes in a month, so one query per month reads all of them. */
const MONTH_LIMIT = 100_000;

/**
 * Renders every published article's page again, month by month through the `all` listing, after a
 * template or stylesheet change (the page's CSP hash changes with the stylesheet, so old pages
 * would lose their styles). Then one wildcard invalidation, since every page changed. It goes
 * straight to CloudFront, not through the invalidation queue (this runs on an operator's machine):
 * if CloudFront refuses it (busy with other invalidations), the error says how many pages were
 * re-rendered, so the operator invalidates by hand rather than rendering everything again.
 */
export async function rerenderArticles(
  deps: RerenderDeps,
  onProgress: (month: string, pages: number, total: number, months: { done: number; of: number }) => void = () => {},
): Promise<{ pages: number }> {
  let total = 0;
  const months = await deps.listings.months(lists.all);
  for (const [index, month] of months.entries()) {
    const summaries = await deps.listings.publishedInMonth(lists.all, month, MONTH_LIMIT);
    let pages = 0;
    for (let start = 0; start < summaries.length; start += PARALLEL_UPLOADS) {
      const batch = summaries.slice(start, start + PARALLEL_UPLOADS);
      const rendered = await Promise.all(
        batch.map(async ({ id }) => {
          const article = await deps.articles.getArticle(id);
          if (article?.status !== 'published') return 0;
          await deps.site.putPage(article.path, renderArticlePage(article, deps.urls));
          // A takedown or a correction may have landed since the read: never leave this render live then.
          await reconcileWithStored(article, deps);
          return 1;
        }),
      );
      pages += rendered.reduce<number>((a, b) => a + b, 0);
    }
    total += pages;
    onProgress(month, pages, total, { done: index + 1, of: months.length });
  }
  if (total > 0) {
    try {
      await deps.cdn.invalidate(['/*']);
    } catch (cause) {
      throw new RerenderedNotInvalidatedError(total, { cause });
    }
  }
  deps.logger.info('articles re-rendered', { pages: total });
  return { pages: total };
}
