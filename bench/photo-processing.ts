import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { processPhoto } from '../shared/media/process-photo.js';
import type { TestRuntime } from '../test/support/local-runtime.js';
import { median } from './stats.js';

export interface PhotoProcessingResult {
  photo: { width: number; height: number; bytes: number };
  /** libvips threads per sharp operation, as sharp chose them on this machine (1 on glibc Linux without jemalloc, as on Lambda). */
  sharpConcurrency: number;
  /** `processPhoto` on the photo: the whole ladder, every format, the crops and the placeholder, in this process. */
  processPhoto: {
    /** Median seconds per photo. */
    seconds: number;
    runsSeconds: number[];
    /** Images written: ladder renditions (widths × formats) plus crops. */
    files: number;
    ladderRenditions: number;
    crops: number;
    /** files ÷ seconds. */
    renditionsPerSecond: number;
    /** Bytes of every image written, and of the ladder by format. */
    outputBytes: number;
    bytesByFormat: Record<string, number>;
    /** The processed photo as the media record keeps it, as JSON: roughly its DynamoDB item size. */
    recordBytes: number;
  };
  /** The floor: sharp decoding the same file and writing one 1200-pixel JPEG, nothing else. */
  plainResize: {
    width: number;
    seconds: number;
    runsSeconds: number[];
    resizesPerSecond: number;
    outputBytes: number;
  };
  /** processPhoto seconds ÷ plain-resize seconds: what the ladder costs over the simplest useful job on the same file. */
  processPhotoOverPlainResize: number;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * Photo processing in this process, before anything else runs: rounds of a few plain resizes then one
 * `processPhoto`, interleaved so a noisy moment slows both alike. The first resize warms sharp up.
 */
export async function benchPhotoProcessing(photo: Buffer, options: { rounds: number; resizesPerRound: number }): Promise<PhotoProcessingResult> {
  const plain = () => sharp(photo).resize({ width: 1200 }).jpeg().toBuffer();
  const { width = 0, height = 0 } = await sharp(photo).metadata();
  const warm = await plain();

  const resizeRuns: number[] = [];
  const processRuns: number[] = [];
  let processed: Awaited<ReturnType<typeof processPhoto>> | undefined;
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < options.resizesPerRound; i++) {
      const start = performance.now();
      await plain();
      resizeRuns.push(seconds(start));
    }
    const start = performance.now();
    processed = await processPhoto(photo, randomUUID());
    processRuns.push(seconds(start));
  }
  if (!processed) throw new Error('photo processing needs at least one round');

  const bytesByFormat: Record<string, number> = {};
  for (const r of processed.photo.renditions) bytesByFormat[r.format] = (bytesByFormat[r.format] ?? 0) + r.bytes;
  const processSeconds = median(processRuns);
  const resizeSeconds = median(resizeRuns);
  return {
    photo: { width, height, bytes: photo.length },
    sharpConcurrency: sharp.concurrency(),
    processPhoto: {
      seconds: processSeconds,
      runsSeconds: processRuns,
      files: processed.files.length,
      ladderRenditions: processed.photo.renditions.length,
      crops: processed.photo.crops.length,
      renditionsPerSecond: processed.files.length / processSeconds,
      outputBytes: processed.files.reduce((sum, f) => sum + f.bytes.length, 0),
      bytesByFormat,
      recordBytes: Buffer.byteLength(JSON.stringify(processed.photo)),
    },
    plainResize: { width: 1200, seconds: resizeSeconds, runsSeconds: resizeRuns, resizesPerSecond: 1 / resizeSeconds, outputBytes: warm.length },
    processPhotoOverPlainResize: processSeconds / resizeSeconds,
  };
}

export interface UploadRun {
  mediaId: string;
  /** `POST /api/media`: the ticket. */
  ticketSeconds: number;
  /** The presigned POST of the file to S3, until S3 answered. */
  uploadSeconds: number;
  /** From S3's answer until `GET /api/media/{id}` first said `ready`: event, processing, record. */
  processingSeconds: number;
  /** From the first byte of the upload until `ready`: what a reporter waits for after choosing the file. */
  uploadToReadySeconds: number;
}

export interface UploadedPhotoView {
  id: string;
  width: number;
  height: number;
  renditions: Array<{ url: string; format: string; width: number }>;
}

export interface UploadToReadyResult {
  /** How often `GET /api/media/{id}` was asked: the figures are this coarse. */
  pollMs: number;
  /** Medians. */
  ticketSeconds: number;
  uploadSeconds: number;
  processingSeconds: number;
  uploadToReadySeconds: number;
  runs: UploadRun[];
}

const POLL_MS = 50;

/** One upload as a reporter's tool makes it, timed: ticket, presigned POST, then polling until the record is ready. */
async function timedUpload(runtime: TestRuntime, bytes: Buffer): Promise<{ run: UploadRun; photo: UploadedPhotoView }> {
  const authorization = `Bearer ${runtime.apiKey}`;
  const asked = performance.now();
  const ticketResponse = await fetch(`${runtime.apiUrl}/media`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ contentType: 'image/jpeg', contentLength: bytes.length, filename: 'camera.jpg' }),
  });
  if (ticketResponse.status !== 201) throw new Error(`POST /api/media answered ${ticketResponse.status}: ${await ticketResponse.text()}`);
  const ticket = (await ticketResponse.json()) as { id: string; upload: { url: string; fields: Record<string, string> } };
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'camera.jpg');

  const uploadStart = performance.now();
  const upload = await fetch(ticket.upload.url, { method: 'POST', body: form });
  if (!upload.ok) throw new Error(`the presigned upload answered ${upload.status}: ${await upload.text()}`);
  await upload.arrayBuffer();
  const uploaded = performance.now();
  const deadline = uploaded + 120_000;
  while (performance.now() < deadline) {
    const answer = (await (await fetch(`${runtime.apiUrl}/media/${ticket.id}`, { headers: { authorization } })).json()) as { status: string; reason?: string } & Partial<UploadedPhotoView>;
    if (answer.status === 'ready') {
      const ready = performance.now();
      return {
        run: {
          mediaId: ticket.id,
          ticketSeconds: (uploadStart - asked) / 1000,
          uploadSeconds: (uploaded - uploadStart) / 1000,
          processingSeconds: (ready - uploaded) / 1000,
          uploadToReadySeconds: (ready - uploadStart) / 1000,
        },
        photo: { id: ticket.id, width: answer.width ?? 0, height: answer.height ?? 0, renditions: answer.renditions ?? [] },
      };
    }
    if (answer.status !== 'processing') throw new Error(`upload ${ticket.id} ended ${answer.status}: ${answer.reason ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`upload ${ticket.id} was still processing after 120 s`);
}

/**
 * Seconds from upload to `ready` through the real local runtime: presigned POST to s3rver, its S3
 * event, the processing handler, the media record marked ready. Runs one after another; returns the
 * last photo, unused by any article, for the page-weight stage.
 */
export async function benchUploadToReady(runtime: TestRuntime, bytes: Buffer, runs: number): Promise<{ result: UploadToReadyResult; photo: UploadedPhotoView }> {
  const all: UploadRun[] = [];
  let last: UploadedPhotoView | undefined;
  for (let i = 0; i < runs; i++) {
    const { run, photo } = await timedUpload(runtime, bytes);
    all.push(run);
    last = photo;
  }
  if (!last) throw new Error('upload to ready needs at least one run');
  return {
    result: {
      pollMs: POLL_MS,
      ticketSeconds: median(all.map((r) => r.ticketSeconds)),
      uploadSeconds: median(all.map((r) => r.uploadSeconds)),
      processingSeconds: median(all.map((r) => r.processingSeconds)),
      uploadToReadySeconds: median(all.map((r) => r.uploadToReadySeconds)),
      runs: all,
    },
    photo: last,
  };
}
