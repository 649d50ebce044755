import type { Article, StoredPhoto } from '../article/article.js';
import type { Principal } from '../auth/api-key.js';
import { ConflictError, ForbiddenError, GoneError, NotFoundError, ValidationError, VersionMismatchError, VersionRequiredError } from '../errors.js';
import { renderArticlePage } from '../render/article-page.js';
import type { ArticleOutcome } from '../storage/ports.js';
import { queueInvalidationOrAlarm } from './request-invalidation.js';
import { authorizeAccess } from './authorize.js';
import { outcomeOf } from './article-outcome.js';
import { attachLeadPhoto, deletePhotoOf, type AttachedPhoto } from './lead-photo.js';
import { checkSubmission, listingsFor, scheduleOrLog, type PublishDeps } from './publish-article.js';
import { reconcileWithStored } from './reconcile-page.js';
import { repeatUntilDone } from './undo.js';
import { changeOf, commitChange } from './revisions.js';

export type CorrectDeps = PublishDeps;

/** `If-Match: "3"` or `If-Match: 3` → 3. */
export function parseIfMatch(value: string | undefined): number {
  const match = value ? /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(value) : null;
  if (!match) throw new VersionRequiredError('Send "If-Match: <version>" with the version you corrected (the "version" the last publish or correction returned).');
  return Number(match[1]);
}

/**
 * Changes an article. A published one: the submission replaces its text; `leadImage` replaces the
 * photo when given and keeps it when omitted; `correction` adds a dated note readers see; an
 * editor's `slug` moves it to a new URL, and the old one answers 301 for good. The page is uploaded
 * before the conditional commit; a lost race restores the winner's page. An unpublished one (draft,
 * submitted, scheduled) is only stored: nothing public changes.
 */
export async function correctArticle(id: string, input: unknown, expectedVersion: number, principal: Principal, deps: CorrectDeps): Promise<ArticleOutcome> {
  const { submission } = await checkSubmission(input, true);
  if (submission.status !== undefined) {
    throw new ValidationError([{ path: 'status', rule: 'not_here', message: 'status is changed by POST /api/articles/{id}/publish or /return, not by PUT' }]);
  }
  if (submission.slug !== undefined && principal.role !== 'editor') throw new ForbiddenError("Only an editor can change an article's URL (slug).");
  const current = await deps.articles.getArticle(id);
  if (!current) throw new NotFoundError(`No article ${id}.`);
  if (current.status === 'removed') throw new GoneError('This article was taken down and cannot be corrected.');
  authorizeAccess(principal, current);
  const stale = () => new VersionMismatchError(`The article is at version ${current.version}, not ${expectedVersion}: someone corrected it since you loaded it. Reload it and apply your change again.`);
  if (current.version !== expectedVersion) {
    // Often the repeat of a correction that failed half-way (its client was told to repeat it), which
    // may have left its page or listing entries: what readers see is put back to what is stored first.
    if (current.status === 'published') await showStored(current, deps);
    throw stale();
  }
  const published = current.status === 'published';
  if (!published) {
    const onlyPublished = (['correction', 'slug'] as const).filter((field) => submission[field] !== undefined);
    if (onlyPublished.length) {
      throw new ValidationError(onlyPublished.map((path) => ({ path, rule: 'published_only', message: `${path} applies to a published article; this one is ${current.status}` })));
    }
  }

  // The same photo keeps its renditions (only its words change); a new one is attached, and is
  // undone again if this correction loses the race.
  let leadImage: StoredPhoto | undefined = current.leadImage;
  let attached: AttachedPhoto | undefined;
  const image = submission.leadImage;
  if (image && current.leadImage && image.mediaId === current.leadImage.mediaId) {
    leadImage = { ...current.leadImage, alt: image.alt, caption: image.caption, credit: image.credit };
  } else if (image) {
    attached = await attachLeadPhoto(image, id, principal, deps);
    leadImage = attached.photo;
  }

  const now = (deps.now ?? (() => new Date()))().toISOString();
  const { leadImage: _image, publishedAt, status: _status, correction, slug, ...fields } = submission;
  const path = slug === undefined ? current.path : current.path.replace(/[^/]+\/$/, `${slug}/`);
  const moved = path !== current.path;
  const next: Article = {
    ...current,
    ...fields,
    leadImage,
    ...timesAfterChange(current, publishedAt, now),
    path,
    ...(moved ? { previousPaths: [...new Set([...(current.previousPaths ?? []), current.path])].filter((p) => p !== path) } : {}),
    ...(correction ? { corrections: [...(current.corrections ?? []), { at: now, note: correction }] } : {}),
    version: current.version + 1,
    updatedAt: now,
    change: changeOf(current.version + 1, principal, now, moved ? 'slug-changed' : correction ? 'corrected' : 'updated', correction ? { note: correction } : {}),
  };

  if (!published) {
    let saved = false;
    try {
      saved = await commitChange(deps.articles, current, next);
    } finally {
      if (!saved) await attached?.undo();
    }
    if (!saved) throw stale();
    if (attached && current.leadImage) await deletePhotoOf(current.leadImage.mediaId, deps, current.leadImage);
    // A new embargo time replaces the schedule; the schedule firing for the old one finds nothing due.
    if (next.status === 'scheduled' && next.publishedAt !== current.publishedAt) await scheduleOrLog(deps, next);
    deps.logger.info('unpublished article changed', { articleId: id, version: next.version, status: next.status, by: principal.keyId });
    return outcomeOf(next, deps.urls);
  }

  // A new URL is claimed before anything points at it; a URL it had before is still its own.
  const hadPath = (current.previousPaths ?? []).includes(path);
  if (moved && !(await deps.articles.claimPath(path, id))) {
    await attached?.undo();
    throw new ConflictError(`The URL ${path} belongs to another article; choose another slug.`);
  }
  let committed = false;
  let failure: unknown;
  try {
    await deps.site.putPage(next.path, renderArticlePage(next, deps.urls));
    committed = await commitCorrection(next, current, deps);
    // The short link follows, then the old pages go: their URLs then answer 301 from the pages
    // function. Safe to repeat, so sending the same slug again finishes a move that was interrupted.
    if (committed && slug !== undefined) {
      await deps.articles.setShortLinkPath(next.shortCode, next.path);
      for (const old of next.previousPaths ?? []) await deps.site.deletePage(old);
    }
  } catch (error) {
    failure = error;
  }
  if (!committed && moved) {
    await deps.site.deletePage(path).catch((error: unknown) => (failure ??= error));
    if (!hadPath) await deps.articles.releasePath(path, id).catch((error: unknown) => (failure ??= error));
  }
  try {
    // Whether we won or lost, a takedown or another correction may have landed around our writes.
    await reconcileWithStored(next, deps, { wroteListings: committed });
  } catch (error) {
    failure ??= error;
  }
  // A photo the stored article may show is never taken back: an orphan is better than a broken page.
  if (!committed && attached && (await photoNotShown(id, attached.photo.mediaId, deps))) await attached.undo();
  if (committed && attached && current.leadImage) {
    const old = current.leadImage;
    await repeatUntilDone(() => deletePhotoOf(old.mediaId, deps, old)).catch((error: unknown) => {
      // The correction is stored; the old photo is left over (npm run reconcile lists it).
      deps.logger.error('deleting the replaced photo failed; an orphan remains', { articleId: id, mediaId: old.mediaId, error });
    });
  }
  // A correction that is stored but whose check of the page failed is repeated by its client: the
  // repeat (412) puts the page right.
  if (failure !== undefined) throw failure;
  if (!committed) throw stale();
  await queueInvalidationOrAlarm({ kind: moved ? 'slug-changed' : 'corrected', before: current, after: next }, deps);
  deps.logger.info('article corrected', { articleId: id, version: next.version, by: principal.keyId, moved, corrected: Boolean(correction) });
  return outcomeOf(next, deps.urls);
}

/**
 * The times after a change. Published: a new `publishedAt` back-dates (as before). Scheduled: a new
 * time in the future reschedules (the URL keeps its date). Draft or submitted: the time asked for is
 * remembered and decided when the article is published.
 */
function timesAfterChange(current: Article, publishedAt: string | undefined, now: string): Pick<Article, 'publishedAt' | 'requestedPublishedAt'> {
  const asked = publishedAt ? new Date(publishedAt).toISOString() : undefined;
  switch (current.status) {
    case 'published':
    case 'scheduled':
      return { publishedAt: asked ?? current.publishedAt };
    default:
      return { publishedAt: current.publishedAt, ...(asked ? { requestedPublishedAt: asked } : {}) };
  }
}

/**
 * The conditional commit. When its answer is lost (or its listing entries fail after the article was
 * stored), the stored article says whether this correction landed; if it did, its listing entries
 * are written again. A failure to find out is thrown: the client repeats the request.
 */
async function commitCorrection(next: Article, current: Article, deps: CorrectDeps): Promise<boolean> {
  const listings = { remove: listingsFor(current), put: listingsFor(next) };
  try {
    return await commitChange(deps.articles, current, next);
  } catch (error) {
    const stored = await deps.articles.getArticle(next.id);
    if (!stored || stored.version === current.version) throw error;
    if (stored.version !== next.version || renderArticlePage(stored, deps.urls) !== renderArticlePage(next, deps.urls)) return false;
    await deps.articles.replaceArticle(next, next.version, listings);
    return true;
  }
}

/** True when the stored article (read again) does not show the photo, so it can be deleted. */
async function photoNotShown(id: string, mediaId: string, deps: CorrectDeps): Promise<boolean> {
  const stored = await deps.articles.getArticle(id).catch(() => undefined);
  return stored !== undefined && stored.leadImage?.mediaId !== mediaId;
}

/** Writes the stored article's page and listing entries again, then checks them against what is stored once more. */
async function showStored(stored: Article, deps: CorrectDeps): Promise<void> {
  await deps.site.putPage(stored.path, renderArticlePage(stored, deps.urls));
  // A slug change that failed after its commit: the short link follows and the old pages go.
  if (stored.previousPaths?.length) {
    await deps.articles.setShortLinkPath(stored.shortCode, stored.path);
    for (const old of stored.previousPaths) await deps.site.deletePage(old);
  }
  await deps.articles.replaceArticle(stored, stored.version, { remove: [], put: listingsFor(stored) });
  await reconcileWithStored(stored, deps, { wroteListings: true });
}
