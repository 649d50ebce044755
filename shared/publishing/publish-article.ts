import { randomUUID } from 'node:crypto';
import type { Article, StoredPhoto } from '../article/article.js';
import { newShortCode } from '../article/short-code.js';
import { articlePath, slugCandidate, slugify } from '../article/slug.js';
import { parseSubmission, type ArticleSubmission } from '../article/submission.js';
import type { Principal } from '../auth/api-key.js';
import { ConflictError } from '../errors.js';
import type { Logger } from '../log.js';
import { renderArticlePage } from '../render/article-page.js';
import type { SiteUrls } from '../render/site-paths.js';
import type { ArticleStore, IdempotencyStore, InvalidationQueue, MediaRecordStore, MediaStore, Scheduler, SiteStore } from '../storage/ports.js';
import { requestHash, runIdempotently, type PublishOutcome } from './idempotency.js';
import { attachLeadPhoto } from './lead-photo.js';
import { listingEntriesFor } from './listing-entries.js';
import { outcomeOf } from './article-outcome.js';
import { changeOf } from './revisions.js';
import { initialStatus, newPreviewToken, refuseFieldsOfPut } from './workflow-rules.js';
import { rollBack, type UndoStep } from './undo.js';
import { queueInvalidationOrAlarm } from './request-invalidation.js';

export interface PublishDeps {
  articles: ArticleStore;
  media: MediaStore;
  mediaRecords: MediaRecordStore;
  site: SiteStore;
  /** Where the paths a change affects go for the CDN to forget (a durable queue). */
  invalidations: InvalidationQueue;
  idempotency?: IdempotencyStore;
  urls: SiteUrls;
  logger: Logger;
  now?: () => Date;
  /** Run a scheduled article's publish at its time; without one (locally, where the runtime's timer sweeps) the sweep alone does. */
  scheduler?: Scheduler;
  /** When on, a reporter's publish request waits for an editor (`submitted`). */
  reviewRequired?: boolean;
}

export interface PublishResult extends PublishOutcome {
  /** True when an earlier request with the same Idempotency-Key already published it. */
  replayed: boolean;
}

const MAX_PATH_ATTEMPTS = 20;
const MAX_CODE_ATTEMPTS = 5;

/** The storage names of every listing the article belongs to, as its status decides. */
export function listingsFor(article: Pick<Article, 'section' | 'byline' | 'tags' | 'status' | 'createdBy'>): string[] {
  return listingEntriesFor(article);
}

/**
 * A submission that passed every check of its fields. Its photo is checked when it is attached
 * (processing decides), before anything a reader can see is written.
 */
export interface CheckedSubmission {
  submission: ArticleSubmission;
}

export async function checkSubmission(input: unknown, forPut = false): Promise<CheckedSubmission> {
  const submission = parseSubmission(input);
  if (!forPut) refuseFieldsOfPut(submission);
  return { submission };
}

/**
 * Publishes a submission. Everything that can be refused is checked before the first write, so bad
 * input leaves nothing behind. With an Idempotency-Key, a retry returns the first answer or resumes.
 */
export async function publishArticle(input: unknown, principal: Principal, deps: PublishDeps, idempotencyKey?: string): Promise<PublishResult> {
  const checked = await checkSubmission(input);
  if (!idempotencyKey || !deps.idempotency) {
    return { ...(await writeArticle(checked, randomUUID(), principal, deps)), replayed: false };
  }
  // A failed attempt gives its key up only when it knows it left nothing stored. One that may have
  // stored the article (its rollback could not finish, or it could not read what an earlier attempt
  // did) keeps it, so that the retry resumes the same article id instead of publishing a second one.
  const records = deps.idempotency;
  let mayHaveStored = false;
  const keyKeeper: IdempotencyStore = {
    begin: (record) => records.begin(record),
    takeOver: (previous, startedAt) => records.takeOver(previous, startedAt),
    complete: (record, result) => records.complete(record, result),
    abandon: (record) => (mayHaveStored ? Promise.resolve() : records.abandon(record)),
  };
  const { outcome, replayed } = await runIdempotently(
    keyKeeper,
    { personId: principal.personId, idempotencyKey, requestHash: requestHash(input), articleId: randomUUID() },
    async (articleId, resumed) => {
      let stored: PublishOutcome | undefined;
      if (resumed) {
        mayHaveStored = true;
        stored = await storedOutcome(articleId, deps);
        mayHaveStored = false;
      }
      return stored ?? writeArticle(checked, articleId, principal, deps, () => (mayHaveStored = true));
    },
  );
  return { ...outcome, replayed };
}

/** What a resumed attempt answers when the attempt it resumes had in fact committed the article. */
async function storedOutcome(id: string, deps: PublishDeps): Promise<PublishOutcome | undefined> {
  const article = await deps.articles.getArticle(id);
  if (!article) return undefined;
  // The attempt that died may have stopped before queueing its invalidation; a second one is harmless.
  if (article.status === 'published') await queueInvalidationOrAlarm({ kind: 'published', article }, deps);
  return outcomeOf(article, deps.urls);
}

/**
 * The writes, in an order where every intermediate state is safe: claim the URL path, attach the
 * processed photo, upload the page, claim the short link (only once the page exists), and last the article
 * item with its listings, which makes it visible on index pages. If a write fails, the earlier
 * ones are undone, last first, as far as they can be: what stays is a state this order allows.
 */
async function writeArticle(
  { submission }: CheckedSubmission,
  id: string,
  principal: Principal,
  deps: PublishDeps,
  /** Told when a failed publish could not take back all it wrote (what stays is a state the write order allows). */
  onPartialRollback: () => void = () => {},
): Promise<PublishOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const publishedAt = submission.publishedAt ? new Date(submission.publishedAt) : now;
  const log = deps.logger.child({ articleId: id });
  const undo: UndoStep[] = [];
  const status = initialStatus(submission, principal, now, deps.reviewRequired ?? false);

  try {
    // A draft's URL is provisional, claimed only when it is published; an embargo's is claimed now.
    const slug = slugify(submission.headline) || `article-${id.slice(0, 8)}`;
    const claims = status === 'published' || status === 'scheduled';
    const path = claims ? await claimPath(deps.articles, submission.section, publishedAt, slug, id, undo) : articlePath(submission.section, publishedAt, slug);

    let leadImage: StoredPhoto | undefined;
    if (submission.leadImage) {
      const attached = await attachLeadPhoto(submission.leadImage, id, principal, deps);
      undo.push(attached.undo);
      leadImage = attached.photo;
    }

    const { leadImage: _submittedImage, publishedAt: _submittedTime, status: _status, correction: _correction, slug: _slug, ...fields } = submission;
    const draft: Omit<Article, 'shortCode'> = {
      ...fields,
      id,
      version: 1,
      status: 'published',
      path,
      leadImage,
      publishedAt: publishedAt.toISOString(),
      updatedAt: (submission.publishedAt ? publishedAt : now).toISOString(),
      createdBy: { personId: principal.personId, keyId: principal.keyId, name: principal.name, role: principal.role },
      change: changeOf(1, principal, now.toISOString(), 'published'),
    };

    if (status !== 'published') {
      const saved: Article = {
        ...draft,
        status,
        shortCode: newShortCode(),
        previewToken: newPreviewToken(),
        updatedAt: now.toISOString(),
        ...(status !== 'scheduled' && submission.publishedAt ? { requestedPublishedAt: publishedAt.toISOString() } : {}),
        change: changeOf(1, principal, now.toISOString(), status === 'draft' ? 'created' : status),
      };
      undo.push(() => deps.articles.deleteArticle(id, listingsFor(saved)));
      await deps.articles.putArticle(saved, listingsFor(saved));
      if (status === 'scheduled') await scheduleOrLog(deps, saved);
      log.info('article saved unpublished', { status, path: claims ? path : undefined });
      return outcomeOf(saved, deps.urls);
    }

    undo.push(() => deps.site.deletePage(path));
    const article = await uploadPageAndClaimShortCode(draft, deps, undo);

    undo.push(() => deps.articles.deleteArticle(id, listingsFor(article)));
    await deps.articles.putArticle(article, listingsFor(article));
    // A 404 cached at its URL or short link must go (this never throws: the article is live).
    await queueInvalidationOrAlarm({ kind: 'published', article }, { ...deps, logger: log });
    log.info('article published', { path, shortCode: article.shortCode, mediaId: leadImage?.mediaId });
    return outcomeOf(article, deps.urls);
  } catch (error) {
    if (!(await rollBack(undo, log))) onPartialRollback();
    throw error;
  }
}

/** The sweep publishes whatever the schedule misses, so a failed schedule is logged, not fatal. */
export async function scheduleOrLog(deps: Pick<PublishDeps, 'scheduler' | 'logger'>, article: Article): Promise<void> {
  try {
    await deps.scheduler?.schedule(article.id, article.publishedAt);
  } catch (error) {
    deps.logger.error('could not schedule the publish; the sweep will publish it', { articleId: article.id, error });
  }
}

/**
 * Each claim's release is registered before the claim is sent: a claim whose answer is lost may
 * have been written, and its release (which deletes only this article's own claim) is harmless if not.
 */
export async function claimPath(articles: ArticleStore, section: string, publishedAt: Date, slug: string, id: string, undo: UndoStep[]): Promise<string> {
  const tryClaim = async (path: string) => {
    undo.push(() => articles.releasePath(path, id));
    if (await articles.claimPath(path, id)) return true;
    undo.pop();
    return false;
  };
  for (let attempt = 0; attempt < MAX_PATH_ATTEMPTS; attempt++) {
    const path = articlePath(section, publishedAt, slugCandidate(slug, attempt));
    if (await tryClaim(path)) return path;
  }
  // Twenty identical headlines in one section on one day: fall back to the id, which is unique.
  const path = articlePath(section, publishedAt, `${slug}-${id.slice(0, 8)}`);
  if (await tryClaim(path)) return path;
  throw new ConflictError(`Could not find a free URL for "${slug}"; change the headline and try again.`);
}

/** The page shows its own short link, so a code is chosen, the page uploaded, then the code claimed (its release registered first, as for the path). */
async function uploadPageAndClaimShortCode(draft: Omit<Article, 'shortCode'>, deps: PublishDeps, undo: UndoStep[]): Promise<Article> {
  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
    const article: Article = { ...draft, shortCode: newShortCode() };
    await deps.site.putPage(article.path, renderArticlePage(article, deps.urls));
    undo.push(() => deps.articles.releaseShortCode(article.shortCode, article.id));
    if (await deps.articles.claimShortCode({ code: article.shortCode, articleId: article.id, path: article.path, status: 'active' })) return article;
    undo.pop();
  }
  throw new ConflictError('Could not allocate a free short code; try again.');
}
