import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { mediaStatus, size, StatusLine, uploadPhoto, waitUntilProcessed, type MediaView, type PhotoApi } from '../photo-upload.js';
import { dataDir } from './api.js';
import { UsageError } from './errors.js';
import { barsWanted, progressBar, type Bar } from './progress.js';

export interface ShowProgress {
  /** `--progress`: draw bars even when stderr is no terminal. */
  progress?: boolean;
}

export function requirePhotoFile(path: string, option: string): void {
  if (!existsSync(path)) throw new UsageError(`${option} ${path}: no such file. Give the path of a JPEG, PNG, WebP or AVIF photo.`);
}

/**
 * Uploads a photo with its progress on stderr: a cli-progress bar where someone watches (or with
 * `--progress`), else a line every few seconds, as in a log. Answers the media id.
 */
export async function uploadShowingProgress(photoApi: PhotoApi, path: string, options: ShowProgress): Promise<string> {
  const name = basename(path);
  if (barsWanted(options)) {
    let bar: Bar | undefined;
    try {
      return await uploadPhoto(photoApi, path, (sent, total) => {
        bar ??= progressBar(`Uploading ${name}`, total, 'bytes');
        bar.update(sent);
      });
    } finally {
      bar?.stop();
    }
  }
  const status = new StatusLine();
  try {
    return await uploadPhoto(photoApi, path, (sent, total) =>
      status.show(`Uploading ${name}: ${size(sent)} of ${size(total)} (${Math.floor((sent / total) * 100)}%)`, { done: sent === total }),
    );
  } finally {
    status.end();
  }
}

/** Waits until processing has decided, its status line on stderr; a refused photo throws with the reason. */
export async function waitShowingStatus(photoApi: PhotoApi, id: string, name: string): Promise<MediaView> {
  const status = new StatusLine();
  try {
    return await waitUntilProcessed(photoApi, id, name, status);
  } finally {
    status.end();
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The uploads earlier runs made, by (API, key, article content): running the same command again
 * sends the same submission, same photo id included, so the API answers the first result instead of
 * refusing a reused Idempotency-Key. Written only once an upload has landed.
 */
export class UploadRecord {
  // The name predates `pressline` (npm run submit:wire kept it): records earlier runs made still count.
  static readonly file = (): string => join(dataDir(), 'submit-wire-uploads.json');
  private readonly file = UploadRecord.file();

  constructor(private readonly scope: string) {}

  /** Every recorded upload; an unreadable record is an empty one (the worst that costs is one more upload). */
  private all(): Record<string, string> {
    try {
      return z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      return {};
    }
  }

  get(): string | undefined {
    return this.all()[this.scope];
  }

  set(mediaId: string): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}`;
    writeFileSync(temporary, JSON.stringify({ ...this.all(), [this.scope]: mediaId }, null, 2));
    renameSync(temporary, this.file);
  }
}

/** The photo's media id for an article: an earlier run's upload of the same article if it is still usable, else a new upload, once processed. */
export async function articlePhotoId(photoApi: PhotoApi, path: string, record: UploadRecord, options: ShowProgress): Promise<string> {
  const name = basename(path);
  const earlier = record.get();
  const view = earlier ? await mediaStatus(photoApi, earlier) : undefined;
  if (earlier && view && view.status !== 'rejected') {
    console.error(`${name} was uploaded by an earlier run (${earlier}).`);
    await waitShowingStatus(photoApi, earlier, name);
    return earlier;
  }
  const id = await uploadShowingProgress(photoApi, path, options);
  record.set(id);
  await waitShowingStatus(photoApi, id, name);
  return id;
}

/** An Idempotency-Key named by the article's content, photo bytes included, never by the upload: a second upload of the same photo is the same article. */
export function contentKey(prefix: string, submission: unknown, photoHash: string | undefined): string {
  const content = JSON.stringify(submission) + (photoHash ? `\n${photoHash}` : '');
  return `${prefix}-${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
}
