import type { Article } from '../article/article.js';
import { renderArticlePage } from '../render/article-page.js';
import type { SiteUrls } from '../render/site-paths.js';
import type { ArticleStore, SiteStore } from '../storage/ports.js';
import { readerListingsFor } from './listing-entries.js';
import { listingsFor } from './publish-article.js';

/**
 * After writing a page (or listing entries) for `written`, which may have raced a takedown or another
 * correction: reads the stored article back and makes the derived state match it. A removed article
 * has no page and no listing entries; an unpublished one no page; a published one shows its stored version.
 */
export async function reconcileWithStored(
  written: Article,
  deps: { articles: ArticleStore; site: SiteStore; urls: SiteUrls },
  /** `wroteListings`: this writer wrote listing entries for `written`, which may have landed after a newer version's. */
  options: { wroteListings?: boolean } = {},
): Promise<void> {
  const stored = await deps.articles.getArticle(written.id);
  if (!stored || stored.status !== 'published') {
    await deps.site.deletePage(written.path);
    if (stored?.status === 'removed') await deps.articles.deleteListings(written.id, [...new Set([...readerListingsFor(written), ...readerListingsFor(stored)])]);
    return;
  }
  // Compared by what readers would see, not by version: two corrections of the same version both
  // write version n+1, and the loser's page must not stay up.
  const storedPage = renderArticlePage(stored, deps.urls);
  if (stored.version !== written.version || storedPage !== renderArticlePage(written, deps.urls)) {
    await deps.site.putPage(stored.path, storedPage);
    if (options.wroteListings) await deps.articles.replaceArticle(stored, stored.version, { remove: listingsFor(written), put: listingsFor(stored) });
  }
}
