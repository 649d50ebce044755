import type { Article } from '../article/article.js';
import type { Auditor } from '../audit/audit.js';
import type { Principal } from '../auth/api-key.js';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ArticleStore, InvalidationQueue, MediaRecordStore, MediaStore, Scheduler, ShortLink, SiteStore } from '../storage/ports.js';
import { deletePhotoOf } from './lead-photo.js';
import { queueInvalidation } from './request-invalidation.js';
import { authorizeTakedown } from './authorize.js';
import { lists } from '../storage/table-layout.js';
import { readerListingsFor } from './listing-entries.js';
import { changeOf, commitChange } from './revisions.js';
import type { TakedownRequest } from './takedown-request.js';

export interface TakeDownDeps {
  articles: ArticleStore;
  media: MediaStore;
  mediaRecords: MediaRecordStore;
  site: SiteStore;
  invalidations: InvalidationQueue;
  /** Cancels an embargoed article's schedule (which would find nothing due anyway). */
  scheduler?: Scheduler;
  logger: Logger;
  /** Records the takedown as soon as it is committed, whatever fails after, and each purge once done. */
  audit: Auditor;
  now?: () => Date;
}

export interface TakeDownResult {
  id: string;
  status: 'removed';
  version: number;
  /** With `purge`: what is gone for good. */
  purged?: PurgeReport;
}

/** What a purge deleted, for the editor's record. */
export interface PurgeReport {
  /** Article pages deleted (its URL and every earlier one); the site bucket keeps no versions, so each delete is final. */
  pages: string[];
  /** Every photo the article ever had (its revisions included): all versions of its renditions and original. */
  photos: string[];
  /** Object versions and delete markers deleted from the media bucket. */
  objectVersionsDeleted: number;
  /** False where S3 keeps no versions (the local emulator): there the deletes were already final. */
  versionsKept: boolean;
}

/**
 * Removes an article everywhere at once (a legal takedown): the short link answers 410 first, then
 * the article is marked removed (the commit point), and then it leaves every listing, feed and
 * sitemap, its page and photo are deleted (the page then answers 410), and the paths of every
 * cached copy are queued for the CDN to forget. Every step after the commit is repeated when the request is, so if one fails the
 * editor repeats the takedown and it completes. The URL stays claimed, never reused.
 *
 * With `purge` (a legal takedown), every stored version of every photo the article ever had is
 * deleted as well, after the takedown itself; repeating the request repeats the purge, so one that
 * failed half-way completes, and an article taken down earlier can be purged later.
 */
export async function takeDownArticle(id: string, principal: Principal, deps: TakeDownDeps, request: TakedownRequest = { purge: false }): Promise<TakeDownResult> {
  authorizeTakedown(principal);
  let article = await deps.articles.getArticle(id);
  if (!article) throw new NotFoundError(`No article ${id}.`);

  // Only its own short link: an unpublished article's code is provisional, perhaps another's.
  await deps.articles.setShortLinkStatus(article.shortCode, 'removed', article.id);
  if (article.status !== 'removed') {
    const now = (deps.now ?? (() => new Date()))().toISOString();
    const change = changeOf(article.version + 1, principal, now, 'removed', { fromStatus: article.status, ...(request.reason ? { note: request.reason } : {}) });
    const removed = { ...article, status: 'removed' as const, version: article.version + 1, updatedAt: now, change };
    if (!(await commitChange(deps.articles, article, removed))) {
      // Someone changed it in between: the article is still live, so its short link must be too.
      await shortLinkFollowsStored(id, article.shortCode, deps);
      throw new ConflictError('The article changed while it was being taken down; repeat the request.');
    }
    // Now, not after the steps below: the takedown stands even if one of them fails (a 503), and its repeat changes nothing to record.
    await deps.audit('article.taken-down', { articleId: id, version: removed.version, ...(request.reason ? { reason: request.reason } : {}) });
    if (removed.change.fromStatus === 'scheduled') {
      await deps.scheduler?.cancel(id).catch((error: unknown) => deps.logger.error('could not cancel the schedule; it will find nothing due', { articleId: id, error }));
    }
    article = removed;
  }
  await removeEverywhere(article, deps);
  deps.logger.info('article taken down', { articleId: id, path: article.path, by: principal.keyId, ...(request.reason ? { reason: request.reason } : {}) });
  if (!request.purge) return { id, status: 'removed', version: article.version };
  const purged = await purgeEveryCopy(article, deps);
  deps.logger.info('article purged', { articleId: id, by: principal.keyId, reason: request.reason, ...purged });
  // Every purge, a repeat or a later one included: the lasting record of why and what went, which an earlier takedown's history lacks.
  await deps.audit('article.purged', { articleId: id, version: article.version, reason: request.reason, photos: purged.photos, objectVersionsDeleted: purged.objectVersionsDeleted });
  return { id, status: 'removed', version: article.version, purged };
}

/** After `removeEverywhere`: the versions a versioned media bucket still keeps of every photo the article ever had. */
async function purgeEveryCopy(article: Article, deps: TakeDownDeps): Promise<PurgeReport> {
  const photos = new Set<string>(article.leadImage ? [article.leadImage.mediaId] : []);
  for (const { version } of await deps.articles.listRevisions(article.id)) {
    const revision = await deps.articles.getRevision(article.id, version);
    if (revision?.leadImage) photos.add(revision.leadImage.mediaId);
  }
  let objectVersionsDeleted = 0;
  let versionsKept = true;
  for (const mediaId of photos) {
    const purge = await deps.media.purgePhotoVersions(mediaId);
    objectVersionsDeleted += purge.deleted;
    versionsKept &&= purge.versionsKept;
  }
  return { pages: pagesOf(article), photos: [...photos], objectVersionsDeleted, versionsKept };
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
  try {
    await queueInvalidation({ kind: 'taken-down', article }, deps);
  } catch (error) {
    // The one change whose client hears of it: a takedown must reach every cached copy, and
    // repeating the request (safe) queues the paths again.
    throw new ServiceUnavailableError('The article is taken down, but its cached copies could not be queued for removal from the CDN; repeat the request.', { cause: error });
  }
}

/** The pages `removeEverywhere` deletes: its URL and every earlier one, none for an article never published. */
function pagesOf(article: Article): string[] {
  const before = article.change?.kind === 'removed' ? article.change.fromStatus : undefined;
  return before === 'draft' || before === 'submitted' ? [] : [article.path, ...(article.previousPaths ?? [])];
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
