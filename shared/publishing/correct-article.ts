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
  if (current.version !== expectedVersion) throw stale();

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
  try {
    await deps.site.putPage(next.path, renderArticlePage(next, deps.urls));
    committed = await deps.articles.replaceArticle(next, current.version, { remove: listingsFor(current), put: listingsFor(next) });
  } finally {
    // Whether we won or lost, a takedown or another correction may have landed around our writes.
    await reconcileWithStored(next, deps);
    if (!committed) await attached?.undo();
  }
  if (!committed) throw stale();
  if (attached && current.leadImage) await deletePhotoOf(current.leadImage.mediaId, deps, current.leadImage);
  try {
    await deps.cdn.invalidate([...new Set([...pathsShowing(current), ...pathsShowing(next)])]);
  } catch (error) {
    // The correction is stored and its page uploaded; cached copies expire within their minute.
    deps.logger.error('CDN invalidation after a correction failed', { articleId: id, error });
  }
  deps.logger.info('article corrected', { articleId: id, version: next.version, by: principal.keyId });
  return { id, url: articleUrl(next, deps.urls), shortUrl: shortUrl(next.shortCode, deps.urls), version: next.version };
}
