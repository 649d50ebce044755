import { newShortCode } from '../article/short-code.js';
import { slugify } from '../article/slug.js';
import type { Article, ArticleStatus } from '../article/article.js';
import type { Principal } from '../auth/api-key.js';
import { ConflictError, ForbiddenError, GoneError, NotFoundError, ValidationError, VersionMismatchError } from '../errors.js';
import type { Logger } from '../log.js';
import { renderArticlePage } from '../render/article-page.js';
import type { SiteUrls } from '../render/site-paths.js';
import type { ArticleOutcome, ArticleStore, DeskStore, InvalidationQueue, Scheduler, SiteStore } from '../storage/ports.js';
import { outcomeOf, PREVIEWABLE } from './article-outcome.js';
import { queueInvalidationOrAlarm } from './request-invalidation.js';
import { authorizeAccess } from './authorize.js';
import { claimPath, listingsFor, scheduleOrLog } from './publish-article.js';
import { reconcileWithStored } from './reconcile-page.js';
import { changeOf, commitChange } from './revisions.js';
import { rollBack, type UndoStep } from './undo.js';
import { newPreviewToken, previewTokenMatches } from './workflow-rules.js';

export interface WorkflowDeps {
  articles: ArticleStore;
  site: SiteStore;
  invalidations: InvalidationQueue;
  scheduler: Scheduler;
  urls: SiteUrls;
  logger: Logger;
  reviewRequired?: boolean;
  now?: () => Date;
}

/** Who a scheduled publish is recorded as: the schedule, on the newsroom's behalf. */
export const SCHEDULE_PRINCIPAL: Principal = { personId: 'schedule', keyId: 'schedule', name: 'Scheduled publish', role: 'editor' };

const MAX_CODE_ATTEMPTS = 5;

async function load(id: string, expectedVersion: number, principal: Principal, deps: Pick<WorkflowDeps, 'articles'>): Promise<Article> {
  const current = await deps.articles.getArticle(id);
  if (!current) throw new NotFoundError(`No article ${id}.`);
  if (current.status === 'removed') throw new GoneError('This article was taken down.');
  authorizeAccess(principal, current);
  if (current.version !== expectedVersion) {
    throw new VersionMismatchError(`The article is at version ${current.version}, not ${expectedVersion}: someone changed it since you loaded it. Reload it and try again.`);
  }
  return current;
}

const lostRace = (id: string) => new VersionMismatchError(`Article ${id} changed while this request ran; reload it and try again.`);

/**
 * `POST /api/articles/{id}/publish`: an editor's (or, with review off, a reporter's) request makes
 * the article live now, or scheduled when its time is still ahead; with review on, a reporter's
 * makes it `submitted`, waiting for an editor.
 */
export async function requestPublish(id: string, expectedVersion: number, principal: Principal, deps: WorkflowDeps): Promise<ArticleOutcome> {
  const current = await load(id, expectedVersion, principal, deps);
  const now = (deps.now ?? (() => new Date()))();
  if (current.status === 'published') throw new ConflictError('This article is already published.');
  if (deps.reviewRequired && principal.role !== 'editor') {
    if (current.status === 'submitted') return outcomeOf(current, deps.urls);
    if (current.status === 'scheduled') throw new ForbiddenError('This article is scheduled; only an editor can change that.');
    return transition(current, { status: 'submitted' }, principal, 'submitted', deps);
  }
  const due = current.status === 'scheduled' ? current.publishedAt : current.requestedPublishedAt;
  if (due && Date.parse(due) > now.getTime()) {
    if (current.status === 'scheduled') return outcomeOf(current, deps.urls);
    // The embargo's URL is claimed now, with the date it will carry.
    const claimed: UndoStep[] = [];
    const path = await claimPath(deps.articles, current.section, new Date(due), slugify(current.headline) || `article-${id.slice(0, 8)}`, id, claimed);
    const scheduled = await transition(current, { status: 'scheduled', path, publishedAt: due, updatedAt: due }, principal, 'scheduled', deps, async () => void (await rollBack(claimed, deps.logger)));
    await scheduleOrLog(deps, { ...current, publishedAt: due });
    return scheduled;
  }
  return outcomeOf(await goLive(current, principal, deps), deps.urls);
}

/**
 * `POST /api/articles/{id}/return`: an editor sends a submitted article back to its reporter, or
 * takes a scheduled one off the schedule, as a draft with a note. Its schedule is cancelled (and
 * would find nothing due anyway); an embargo's claimed URL stays reserved for it.
 */
export async function returnToReporter(id: string, expectedVersion: number, input: unknown, principal: Principal, deps: WorkflowDeps): Promise<ArticleOutcome> {
  if (principal.role !== 'editor') throw new ForbiddenError('Only an editor can send an article back.');
  const note = typeof input === 'object' && input !== null && 'note' in input ? (input as { note: unknown }).note : undefined;
  if (typeof note !== 'string' || note.trim() === '' || note.length > 2000) {
    throw new ValidationError([{ path: 'note', rule: 'required', message: 'note is required: 1–2,000 characters telling the reporter what to change' }]);
  }
  const current = await load(id, expectedVersion, principal, deps);
  if (current.status !== 'submitted' && current.status !== 'scheduled') {
    throw new ConflictError(`Only a submitted or scheduled article can be sent back; this one is ${current.status}.`);
  }
  const returned = await transition(current, { status: 'draft' }, principal, 'returned', deps, undefined, note.trim());
  if (current.status === 'scheduled') {
    await deps.scheduler.cancel(id).catch((error: unknown) => deps.logger.error('could not cancel the schedule; it will find nothing due', { articleId: id, error }));
  }
  return returned;
}

/** `POST` (a new secret) or `DELETE` (revoke) `/api/articles/{id}/preview`. */
export async function setPreview(id: string, issue: boolean, principal: Principal, deps: WorkflowDeps): Promise<ArticleOutcome> {
  const current = await deps.articles.getArticle(id);
  if (!current) throw new NotFoundError(`No article ${id}.`);
  authorizeAccess(principal, current);
  if (!PREVIEWABLE.has(current.status)) throw new ConflictError(`A ${current.status} article has no preview.`);
  // A new version, so a change built on the old one cannot bring a revoked secret back.
  const { previewToken: _old, ...rest } = current;
  return transition(rest, issue ? { previewToken: newPreviewToken() } : {}, principal, issue ? 'preview-issued' : 'preview-revoked', deps, undefined, undefined, current);
}

/** The preview page of an unpublished article, for whoever holds its secret; undefined otherwise. */
export async function previewPage(id: string, token: string, deps: Pick<WorkflowDeps, 'articles' | 'urls'>): Promise<string | undefined> {
  const article = await deps.articles.getArticle(id);
  if (!article || !PREVIEWABLE.has(article.status) || !previewTokenMatches(token, article.previewToken)) return undefined;
  return renderArticlePage(article, deps.urls);
}

async function transition(
  current: Article,
  changes: Partial<Article>,
  principal: Principal,
  kind: NonNullable<Article['change']>['kind'],
  deps: WorkflowDeps,
  undo?: () => Promise<void>,
  note?: string,
  stored: Article = current,
): Promise<ArticleOutcome> {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const next: Article = {
    ...current,
    ...changes,
    version: stored.version + 1,
    updatedAt: changes.updatedAt ?? at,
    change: changeOf(stored.version + 1, principal, at, kind, { fromStatus: stored.status, ...(note ? { note } : {}) }),
  };
  if (!(await commitChange(deps.articles, stored, next))) {
    await undo?.();
    throw lostRace(current.id);
  }
  deps.logger.info('article status changed', { articleId: current.id, from: stored.status, to: next.status, kind, by: principal.keyId });
  return outcomeOf(next, deps.urls);
}

/**
 * Makes an unpublished article live, in the order every publish uses: claim the URL (a scheduled
 * article already has), upload the page, claim the short link (its own claim counts as free, so a
 * repeat after a crash keeps it), then commit the published version, which puts it on every
 * listing, feed and sitemap. If another attempt won, its result stands; otherwise the writes are undone.
 */
export async function goLive(current: Article, principal: Principal, deps: WorkflowDeps): Promise<Article> {
  const now = (deps.now ?? (() => new Date()))();
  const log = deps.logger.child({ articleId: current.id });
  const publishedAt = current.status === 'scheduled' ? current.publishedAt : (current.requestedPublishedAt ?? now.toISOString());
  const undo: UndoStep[] = [];
  try {
    let path = current.path;
    if (current.status !== 'scheduled') {
      path = await claimPath(deps.articles, current.section, new Date(publishedAt), slugify(current.headline) || `article-${current.id.slice(0, 8)}`, current.id, undo);
    }
    const { previewToken: _preview, requestedPublishedAt: _asked, ...rest } = current;
    let article: Article = {
      ...rest,
      status: 'published',
      path,
      publishedAt,
      updatedAt: publishedAt,
      version: current.version + 1,
      change: changeOf(current.version + 1, principal, now.toISOString(), 'published', { fromStatus: current.status }),
    };
    undo.push(() => deps.site.deletePage(path));
    article = await uploadPageAndClaimOwnShortCode(article, deps);
    undo.push(() => deps.articles.releaseShortCode(article.shortCode, current.id));

    if (!(await commitChange(deps.articles, current, article))) {
      const stored = await deps.articles.getArticle(current.id);
      // Another attempt (a schedule firing twice, the sweep) published it: its writes are ours.
      if (stored?.status === 'published') return stored;
      await rollBack(undo, log);
      await reconcileWithStored(article, deps);
      throw lostRace(current.id);
    }
    await queueInvalidationOrAlarm({ kind: 'published', article }, { ...deps, logger: log });
    log.info('article published', { path: article.path, shortCode: article.shortCode, from: current.status, by: principal.keyId });
    return article;
  } catch (error) {
    if (error instanceof VersionMismatchError) throw error;
    // The commit may have landed before the error (a lost reply, a failed listing write): then the
    // article is live, and what is left is to finish, never to undo.
    const stored = await deps.articles.getArticle(current.id).catch(() => undefined);
    if (stored?.status === 'published') {
      await deps.articles.putListings(stored, listingsFor(stored));
      await reconcileWithStored(stored, deps);
      await queueInvalidationOrAlarm({ kind: 'published', article: stored }, { ...deps, logger: log });
      return stored;
    }
    await rollBack(undo, log);
    throw error;
  }
}

async function uploadPageAndClaimOwnShortCode(article: Article, deps: Pick<WorkflowDeps, 'site' | 'articles' | 'urls'>): Promise<Article> {
  let candidate = article;
  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
    await deps.site.putPage(candidate.path, renderArticlePage(candidate, deps.urls));
    if (await deps.articles.claimShortCode({ code: candidate.shortCode, articleId: candidate.id, path: candidate.path, status: 'active' })) return candidate;
    // The provisional code went to another article meanwhile: draw another.
    candidate = { ...candidate, shortCode: newShortCode() };
  }
  throw new ConflictError('Could not allocate a free short code; try again.');
}


/**
 * The one publishing step of a scheduled article, for its schedule and for the sweep alike: does
 * nothing unless the article is still scheduled and due, so a schedule that fires twice, late, or
 * for an article changed since (rescheduled, taken down, already published) is harmless.
 */
export async function publishIfDue(id: string, deps: WorkflowDeps): Promise<'published' | 'not-due'> {
  const article = await deps.articles.getArticle(id);
  const now = (deps.now ?? (() => new Date()))();
  if (!article || article.status !== 'scheduled' || Date.parse(article.publishedAt) > now.getTime()) return 'not-due';
  try {
    await goLive(article, SCHEDULE_PRINCIPAL, deps);
    return 'published';
  } catch (error) {
    // Lost to a change made meanwhile (a reschedule, a takedown): whatever is stored now decides.
    if (error instanceof VersionMismatchError) return 'not-due';
    throw error;
  }
}

/** How many overdue articles one sweep takes on; the next sweep takes the rest. */
const SWEEP_BATCH = 50;

/** Publishes every scheduled article whose time has come, found by a Query of the schedule listing. */
export async function sweepDue(deps: WorkflowDeps & { desk: DeskStore }): Promise<{ published: string[]; failed: string[] }> {
  const now = (deps.now ?? (() => new Date()))();
  const published: string[] = [];
  const failed: string[] = [];
  for (const { id } of await deps.desk.due(now.toISOString(), SWEEP_BATCH)) {
    try {
      if ((await publishIfDue(id, deps)) === 'published') published.push(id);
    } catch (error) {
      // One article's failure never holds back the others; the next sweep tries it again.
      failed.push(id);
      deps.logger.error('scheduled publish failed; the next sweep retries', { articleId: id, error });
    }
  }
  return { published, failed };
}

export const STATUS_FILTERS: readonly ArticleStatus[] = ['draft', 'submitted', 'scheduled', 'published', 'removed'];
