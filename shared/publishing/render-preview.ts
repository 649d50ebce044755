import type { Article, StoredPhoto } from '../article/article.js';
import { articlePath, slugify } from '../article/slug.js';
import type { ImageSubmission } from '../article/submission.js';
import type { Principal } from '../auth/api-key.js';
import { renderArticlePage } from '../render/article-page.js';
import type { SiteUrls } from '../render/site-paths.js';
import type { MediaRecordStore } from '../storage/ports.js';
import { checkSubmission } from './publish-article.js';

/** Stands in for the short code a publish draws: the preview claims nothing, so it has none. */
export const PREVIEW_SHORT_CODE = 'preview';
/** Stands in for the article id: a preview is never stored. */
export const PREVIEW_ARTICLE_ID = '00000000-0000-0000-0000-000000000000';

export interface RenderPreviewDeps {
  mediaRecords: Pick<MediaRecordStore, 'get'>;
  urls: SiteUrls;
  now?: () => Date;
}

/**
 * `POST /api/render`: the page a submission would publish as, made by the site's own renderer from
 * the same fields, checked by the same rules (so the same field errors). It reads at most the
 * uploaded photo's record and writes nothing: the path is the one a publish would claim first,
 * the short code a placeholder. A correction note shows as the correction it would add.
 */
export async function renderPreview(input: unknown, principal: Principal, deps: RenderPreviewDeps): Promise<string> {
  const { submission } = await checkSubmission(input, true);
  const now = (deps.now ?? (() => new Date()))();
  const publishedAt = (submission.publishedAt ? new Date(submission.publishedAt) : now).toISOString();
  const { leadImage, publishedAt: _time, status: _status, correction, slug, ...fields } = submission;
  const photo = leadImage ? await processedPhoto(leadImage, principal, deps) : undefined;
  const article: Article = {
    ...fields,
    id: PREVIEW_ARTICLE_ID,
    version: 1,
    status: 'draft',
    path: articlePath(submission.section, new Date(publishedAt), slug ?? (slugify(submission.headline) || 'preview')),
    shortCode: PREVIEW_SHORT_CODE,
    ...(photo ? { leadImage: photo } : {}),
    publishedAt,
    updatedAt: publishedAt,
    createdBy: principal,
    ...(correction ? { corrections: [{ at: now.toISOString(), note: correction }] } : {}),
  };
  return renderArticlePage(article, deps.urls);
}

/** The uploaded photo once processed, if it is the caller's (or an editor asks); else none, as the page would have no photo yet. */
async function processedPhoto(image: ImageSubmission, principal: Principal, deps: RenderPreviewDeps): Promise<StoredPhoto | undefined> {
  if (image.mediaId === undefined) return undefined;
  const record = await deps.mediaRecords.get(image.mediaId);
  if (!record?.photo || record.status !== 'ready' || (record.ownerKeyId !== principal.keyId && principal.role !== 'editor')) return undefined;
  return { mediaId: record.id, ...record.photo, alt: image.alt, caption: image.caption, credit: image.credit };
}
