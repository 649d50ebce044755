import { LIMITS } from '../article/limits.js';
import type { S3Event } from 'aws-lambda';
import type { Logger } from '../log.js';
import { repeatUntilDone } from '../publishing/undo.js';
import type { MediaRecordStore, MediaStore } from '../storage/ports.js';
import { mediaIdOfUploadKey } from './media.js';
import { PhotoRefusedError } from './photo-type.js';
import { processPhoto } from './process-photo.js';

export interface ProcessUploadDeps {
  media: MediaStore;
  mediaRecords: MediaRecordStore;
  logger: Logger;
}

export type ProcessOutcome = 'ready' | 'rejected' | 'skipped';

/**
 * Processes the upload of one media record: the S3 event's work. Safe to repeat and to run twice at
 * once (S3 may deliver an event more than once): each attempt writes under its own keys, only the
 * attempt that moves the record from pending to ready keeps its renditions, and a refused photo's
 * original is deleted so nothing of it remains but the reason.
 */
export async function processUpload(mediaId: string, deps: ProcessUploadDeps): Promise<ProcessOutcome> {
  const log = deps.logger.child({ mediaId });
  const record = await deps.mediaRecords.get(mediaId);
  if (!record) {
    // An upload nobody asked for (or whose record was deleted): nothing may keep it.
    await deps.media.deleteUpload(mediaId);
    log.warn('upload without a media record deleted');
    return 'skipped';
  }
  if (record.status !== 'pending') return 'skipped';

  const reject = async (reason: string): Promise<ProcessOutcome> => {
    await deps.media.deleteUpload(mediaId);
    await deps.mediaRecords.markRejected(mediaId, reason);
    log.info('upload refused', { reason });
    return 'rejected';
  };

  // The POST policy limits the size on S3; the local emulator does not enforce policies, so check again.
  const upload = await deps.media.readUpload(mediaId, LIMITS.uploadBytes);
  if (!upload) return 'skipped';
  if ('tooLarge' in upload) return reject(`The file is ${upload.tooLarge} bytes; the limit is ${LIMITS.uploadBytes} bytes (40 MB): export a smaller JPEG.`);

  let processed;
  try {
    processed = await processPhoto(upload.bytes, mediaId);
  } catch (error) {
    if (error instanceof PhotoRefusedError) return reject(`The file ${error.refusal.reason}.`);
    throw error;
  }

  const written: string[] = [];
  try {
    for (const file of processed.files) {
      // Noted before the put: a put whose answer is lost may still have stored the object.
      written.push(file.key);
      await deps.media.putPhoto(file.key, file.bytes, file.contentType);
    }
  } catch (error) {
    await deleteAll(written, deps, log);
    throw error;
  }

  let won: boolean;
  try {
    won = await deps.mediaRecords.markReady(mediaId, processed.photo);
  } catch (error) {
    // The answer may be lost after the write: read back whether the record names these renditions.
    const stored = await deps.mediaRecords.get(mediaId).catch(() => undefined);
    if (stored === undefined || stored.status === 'pending') {
      // Not ready (or cannot tell): keep nothing that might be named, and let the event be retried.
      if (stored?.status === 'pending') await deleteAll(written, deps, log);
      throw error;
    }
    won = stored.photo?.renditions[0]?.key === processed.photo.renditions[0]?.key;
  }
  if (won) {
    log.info('photo processed', { width: processed.photo.width, height: processed.photo.height, renditions: processed.files.length, bytes: upload.bytes.length });
    return 'ready';
  }
  // Another attempt finished first: its renditions are the ones the record names.
  await deleteAll(written, deps, log);
  return 'skipped';
}

async function deleteAll(keys: string[], deps: ProcessUploadDeps, log: Logger): Promise<void> {
  for (const key of keys) {
    try {
      await repeatUntilDone(() => deps.media.deletePhoto(key));
    } catch (error) {
      log.error('could not delete a rendition; an orphan may remain', { key, error });
    }
  }
}

/** An S3 notification (`ObjectCreated` under `uploads/`): processes each upload it names, in turn. */
export async function processUploadEvent(event: S3Event, deps: ProcessUploadDeps): Promise<void> {
  for (const record of event.Records ?? []) {
    const mediaId = mediaIdOfUploadKey(record.s3.object.key);
    if (!mediaId) {
      deps.logger.warn('ignored an object outside uploads/', { key: record.s3.object.key });
      continue;
    }
    const outcome = await processUpload(mediaId, deps);
    deps.logger.debug('upload handled', { mediaId, outcome });
  }
}
