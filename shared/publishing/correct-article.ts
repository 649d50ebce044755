import type { Article, StoredPhoto } from '../article/article.js';
import type { Principal } from '../auth/api-key.js';
import { GoneError, NotFoundError, VersionMismatchError, VersionRequiredError } from '../errors.js';
import { renderArticlePage } from '../render/article-page.js';
import { articleUrl, shortUrl } from '../render/site-paths.js';
import type { CdnInvalidator } from '../storage/ports.js';
import { pathsShowing } from './affected-paths.js';
import { authorizeAccess } from './authorize.js';
import { attachLeadPhoto, deletePhotoOf, type AttachedPhoto } from './lead-photo.js';
import { checkSubmission, listingsFor, type PublishDeps } from './publish-article.js';
import { reconcileWithStored } from './reconcile-page.js';
import { repeatUntilDone } from './undo.js';
import type { PublishOutcome } from './idempotency.js';

export interface CorrectDeps extends PublishDeps {
  cdn: CdnInvalidator;
}

/** `If-Match: "3"` or `If-Match: 3` → 3. */
export function parseIfMatch(value: string | undefined): number {
  const match = value ? /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(value) : null;
  if (!match) throw new VersionRequiredError('Send "If-Match: <version>" with the version you corrected (the "version" the last publish or correction returned).');
  return Number(match[1]);
}

/**
 * Corrects a published article: the submission replaces its text; `leadImage` replaces the photo
 * when given and keeps it when omitted. The URL and short link never change. The page is uploaded
 * before the conditional commit; a lost race restores the winner's page.
 */
export async function correctArticle(id: string, input: unknown, expectedVersion: number, principal: Principal, deps: CorrectDeps): Promise<PublishOutcome> {
  const { submission } = await checkSubmission(input);
  const current = await deps.articles.getArticle(id);
  if (!current) throw new NotFoundError(`No article ${id}.`);
  if (current.status === 'removed') throw new GoneError('This article was taken down and cannot be corrected.');
  authorizeAccess(principal, current);
  const stale = () => new VersionMismatchError(`The article is at version ${current.version}, not ${expectedVersion}: someone corrected it since you loaded it. Reload it and apply your change again.`);
  if (current.version !== expectedVersion) {
    // Often the repeat of a correction that failed half-way (its client was told to repeat it), which
    // may have left its page or listing entries: what readers see is put back to what is stored first.
    await showStored(current, deps);
    throw stale();
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

  const { leadImage: _image, publishedAt, ...fields } = submission;
  const next: Article = {
    ...current,
    ...fields,
    leadImage,
    publishedAt: publishedAt ? new Date(publishedAt).toISOString() : current.publishedAt,
    version: current.version + 1,
    updatedAt: (deps.now ?? (() => new Date()))().toISOString(),
  };
  let committed = false;
  let failure: unknown;
  try {
    await deps.site.putPage(next.path, renderArticlePage(next, deps.urls));
    committed = await commitCorrection(next, current, deps);
  } catch (error) {
    failure = error;
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
  try {
    await deps.cdn.invalidate([...new Set([...pathsShowing(current), ...pathsShowing(next)])]);
  } catch (error) {
    // The correction is stored and its page uploaded; cached copies expire within their minute.
    deps.logger.error('CDN invalidation after a correction failed', { articleId: id, error });
  }
  deps.logger.info('article corrected', { articleId: id, version: next.version, by: principal.keyId });
  return { id, url: articleUrl(next, deps.urls), shortUrl: shortUrl(next.shortCode, deps.urls), version: next.version };
}

/**
 * The conditional commit. When its answer is lost (or its listing entries fail after the article was
 * stored), the stored article says whether this correction landed; if it did, its listing entries
 * are written again. A failure to find out is thrown: the client repeats the request.
 */
async function commitCorrection(next: Article, current: Article, deps: CorrectDeps): Promise<boolean> {
  const listings = { remove: listingsFor(current), put: listingsFor(next) };
  try {
    return await deps.articles.replaceArticle(next, current.version, listings);
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
  await deps.articles.replaceArticle(stored, stored.version, { remove: [], put: listingsFor(stored) });
  await reconcileWithStored(stored, deps, { wroteListings: true });
}
