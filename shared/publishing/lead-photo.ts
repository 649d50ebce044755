import { randomUUID } from 'node:crypto';
import type { StoredPhoto } from '../article/article.js';
import type { ImageSubmission } from '../article/submission.js';
import type { Principal } from '../auth/api-key.js';
import { ConflictError, ValidationError } from '../errors.js';
import { ownsUpload } from './authorize.js';
import { ABANDONED_UPLOAD_REASON, isAbandoned, objectKeysOf, type MediaRecord } from '../media/media.js';
import { PhotoRefusedError, sniffPhotoType } from '../media/photo-type.js';
import type { MediaRecordStore, MediaStore } from '../storage/ports.js';
import { repeatUntilDone } from './undo.js';

export interface LeadPhotoDeps {
  media: MediaStore;
  mediaRecords: MediaRecordStore;
  /** How long a publish with an inline photo waits for it to be processed. */
  processingWaitMs?: number;
}

/** A photo given to an article, and how to take it back if the publish or correction fails. */
export interface AttachedPhoto {
  photo: StoredPhoto;
  undo: () => Promise<void>;
}

const DEFAULT_WAIT_MS = 12_000;

const refuse = (path: string, rule: string, message: string): never => {
  throw new ValidationError([{ path, rule, message: `${path} ${message}` }]);
};

/**
 * Resolves a submission's lead photo for one article: an uploaded photo by `mediaId` (it must be
 * the caller's, or an editor must be asking, and processed), or an inline one, which is uploaded
 * and processed like any other first. Either way the photo is claimed for this article, so that
 * deleting it with the article can never take another article's photo away.
 */
export async function attachLeadPhoto(image: ImageSubmission, articleId: string, principal: Principal, deps: LeadPhotoDeps): Promise<AttachedPhoto> {
  const { alt, caption, credit } = image;
  if (image.mediaId !== undefined) {
    const record = await usableRecord(image.mediaId, articleId, principal, deps);
    const release = () => deps.mediaRecords.release(record.id, articleId);
    let claimed: boolean;
    try {
      claimed = await deps.mediaRecords.claim(record.id, articleId);
    } catch (error) {
      // The claim may have been written though its answer was lost: a photo held by an article that
      // never came to be would refuse every retry ("in use").
      await repeatUntilDone(release).catch(() => {});
      throw error;
    }
    if (!claimed) refuse('leadImage.mediaId', 'in_use', 'is already the photo of another article: upload the photo again for this one');
    return { photo: { mediaId: record.id, ...record.photo!, alt, caption, credit }, undo: release };
  }
  const record = await uploadInline(Buffer.from(image.data ?? '', 'base64'), articleId, principal, deps);
  return { photo: { mediaId: record.id, ...record.photo!, alt, caption, credit }, undo: () => deletePhotoOf(record.id, deps) };
}

async function usableRecord(mediaId: string, articleId: string, principal: Principal, deps: LeadPhotoDeps): Promise<MediaRecord & { photo: NonNullable<MediaRecord['photo']> }> {
  const field = 'leadImage.mediaId';
  const record = await deps.mediaRecords.get(mediaId);
  if (!record || (!ownsUpload(principal, record) && principal.role !== 'editor')) {
    return refuse(field, 'not_found', `names no photo you uploaded; received "${mediaId}": upload it with POST /api/media first`);
  }
  if (isAbandoned(record, new Date())) return refuse(field, 'rejected', `was never uploaded: ${ABANDONED_UPLOAD_REASON}`);
  if (record.status === 'pending') return refuse(field, 'processing', 'is still uploading or being processed: wait until GET /api/media/{id} says "ready"');
  if (record.status === 'rejected' || !record.photo) return refuse(field, 'rejected', `was refused: ${record.reason ?? 'it is not a usable photo'}`);
  if (record.articleId !== undefined && record.articleId !== articleId) {
    return refuse(field, 'in_use', 'is already the photo of another article: upload the photo again for this one');
  }
  return { ...record, photo: record.photo };
}

/** Uploads an inline photo to the private prefix and waits for the processing its arrival starts. */
async function uploadInline(bytes: Buffer, articleId: string, principal: Principal, deps: LeadPhotoDeps): Promise<MediaRecord & { photo: NonNullable<MediaRecord['photo']> }> {
  const field = 'leadImage.data';
  let type: string;
  try {
    // Refused before anything is written: no upload, no record.
    type = await sniffPhotoType(bytes);
  } catch (error) {
    if (error instanceof PhotoRefusedError) return refuse(field, error.refusal.rule, error.refusal.reason);
    throw error;
  }
  const id = randomUUID();
  try {
    await deps.mediaRecords.create({ id, status: 'pending', ownerKeyId: principal.keyId, ownerPersonId: principal.personId, declaredType: type, declaredBytes: bytes.length, filename: '', createdAt: new Date().toISOString(), articleId });
    await deps.media.putUpload(id, bytes, type);
    const record = await waitForProcessing(id, deps);
    if (record?.status === 'ready' && record.photo) return { ...record, photo: record.photo };
    if (record?.status === 'rejected') {
      const reason = record.reason ?? 'is not a usable photo';
      return refuse(field, 'image_rejected', reason.replace(/^The file /, ''));
    }
    throw new ConflictError('The photo is taking longer than usual to process; upload it with POST /api/media and refer to it by leadImage.mediaId.');
  } catch (error) {
    // Everything of it, the record too (its creation may have been written though its answer was lost).
    await repeatUntilDone(() => deletePhotoOf(id, deps)).catch(() => {});
    throw error;
  }
}

async function waitForProcessing(id: string, deps: LeadPhotoDeps): Promise<MediaRecord | undefined> {
  const deadline = Date.now() + (deps.processingWaitMs ?? DEFAULT_WAIT_MS);
  for (let delay = 50; ; delay = Math.min(delay * 2, 400)) {
    const record = await deps.mediaRecords.get(id);
    if (!record || record.status !== 'pending' || Date.now() > deadline) return record;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Deletes everything of a photo: renditions (those its record and `photo` name), private original and record. Safe to repeat. */
export async function deletePhotoOf(mediaId: string, deps: Pick<LeadPhotoDeps, 'media' | 'mediaRecords'>, photo?: StoredPhoto): Promise<void> {
  const record = await deps.mediaRecords.get(mediaId);
  const keys = new Set([...(record?.photo ? objectKeysOf(record.photo) : []), ...(photo ? objectKeysOf(photo) : [])]);
  for (const key of keys) await deps.media.deletePhoto(key);
  await deps.media.deleteUpload(mediaId);
  await deps.mediaRecords.delete(mediaId);
}
