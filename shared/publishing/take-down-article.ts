import type { Article } from '../article/article.js';
import type { Principal } from '../auth/api-key.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ArticleStore, CdnInvalidator, MediaRecordStore, MediaStore, Scheduler, ShortLink, SiteStore } from '../storage/ports.js';
import { deletePhotoOf } from './lead-photo.js';
import { pathsShowing } from './affected-paths.js';
import { authorizeTakedown } from './authorize.js';
import { lists } from '../storage/table-layout.js';
import { readerListingsFor } from './listing-entries.js';
import { changeOf, commitChange } from './revisions.js';

export interface TakeDownDeps {
  articles: ArticleStore;
  media: MediaStore;
  mediaRecords: MediaRecordStore;
  site: SiteStore;
  cdn: CdnInvalidator;
  /** Cancels an embargoed article's schedule (which would find nothing due anyway). */
  scheduler?: Scheduler;
  logger: Logger;
  now?: () => Date;
}

export interface TakeDownResult {
  id: string;
  status: 'removed';
  version: number;
}

/**
 * Removes an article everywhere at once (a legal takedown): the short link answers 410 first, then
 * the article is marked removed (the commit point), and then it leaves every listing, feed and
 * sitemap, its page and photo are deleted (the page then answers 410), and the CDN forgets every
 * cached copy. Every step after the commit is repeated when the request is, so if one fails the
 * editor repeats the takedown and it completes. The URL stays claimed, never reused. The reason,
 * when given, is kept in the article's history.
 */
export async function takeDownArticle(id: string, principal: Principal, deps: TakeDownDeps, reason?: string): Promise<TakeDownResult> {
  authorizeTakedown(principal);
  let article = await deps.articles.getArticle(id);
  if (!article) throw new NotFoundError(`No article ${id}.`);

  // Only its own short link: an unpublished article's code is provisional, perhaps another's.
  await deps.articles.setShortLinkStatus(article.shortCode, 'removed', article.id);
  if (article.status !== 'removed') {
    const now = (deps.now ?? (() => new Date()))().toISOString();
    const removed = { ...article, status: 'removed' as const, version: article.version + 1, updatedAt: now, change: changeOf(article.version + 1, principal, now, 'removed', { fromStatus: article.status, ...(reason ? { note: reason } : {}) }) };
    if (!(await commitChange(deps.articles, article, removed))) {
      // Someone changed it in between: the article is still live, so its short link must be too.
      await shortLinkFollowsStored(id, article.shortCode, deps);
      throw new ConflictError('The article changed while it was being taken down; repeat the request.');
    }
    if (removed.change.fromStatus === 'scheduled') {
      await deps.scheduler?.cancel(id).catch((error: unknown) => deps.logger.error('could not cancel the schedule; it will find nothing due', { articleId: id, error }));
    }
    article = removed;
  }
  await removeEverywhere(article, deps);
  deps.logger.info('article taken down', { articleId: id, path: article.path, by: principal.keyId });
  return { id, status: 'removed', version: article.version };
}

/** Safe to repeat: deletes of what is already gone succeed. */
async function removeEverywhere(article: Article, deps: TakeDownDeps): Promise<void> {
  await deps.articles.deleteListings(article.id, [...readerListingsFor(article), lists.schedule]);
  // A draft's path is provisional (never claimed): the page there, if any, is another article's.
  const before = article.change?.kind === 'removed' ? article.change.fromStatus : undefined;
  if (before === 'draft' || before === 'submitted') {
    if (article.leadImage) await deletePhotoOf(article.leadImage.mediaId, deps, article.leadImage);
    return;
  }
  await deps.site.deletePage(article.path);
  for (const path of article.previousPaths ?? []) await deps.site.deletePage(path);
  // The private original too: a legal takedown keeps no copy to rebuild from.
  if (article.leadImage) await deletePhotoOf(article.leadImage.mediaId, deps, article.leadImage);
  await deps.cdn.invalidate(pathsShowing(article));
}

/**
 * Sets the short link to what the stored article says (410 once removed, a redirect otherwise), then
 * reads the article again: a takedown that committed meanwhile has set it to removed before its
 * commit, and the re-read sees that commit, so the last writer always agrees with what is stored.
 */
async function shortLinkFollowsStored(id: string, code: string, deps: Pick<TakeDownDeps, 'articles'>): Promise<void> {
  const wanted = async (): Promise<ShortLink['status']> => ((await deps.articles.getArticle(id))?.status === 'removed' ? 'removed' : 'active');
  let status = await wanted();
  for (let attempt = 0; attempt < 5; attempt++) {
    await deps.articles.setShortLinkStatus(code, status, id);
    const now = await wanted();
    if (now === status) return;
    status = now;
  }
}
