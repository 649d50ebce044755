import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename, extname } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import { z } from 'zod';

/**
 * One status line on stderr: redrawn in place on a terminal (a few times a second), a new line in a
 * log (at most every few seconds, and never the same line twice). `done` always shows and ends it.
 */
export class StatusLine {
  private lastAt = 0;
  private lastText = '';
  /** A terminal line drawn and not yet ended. */
  private open = false;
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(stream.isTTY);
  }

  show(text: string, { done = false } = {}): void {
    const now = Date.now();
    if (!done && (text === this.lastText || now - this.lastAt < (this.tty ? 200 : 2000))) return;
    this.lastAt = now;
    this.lastText = text;
    this.stream.write(this.tty ? `\r${text}\x1b[K${done ? '\n' : ''}` : `${text}\n`);
    this.open = this.tty && !done;
  }

  /** Ends a line left half-drawn (by an error), so what is printed next starts on its own line. */
  end(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }

  get isTerminal(): boolean {
    return this.tty;
  }
}

/** The photo was refused, by the API or by processing: the message says why and what to do. */
export class PhotoRefusedError extends Error {}

const MB = 1_000_000;
export const size = (bytes: number): string => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1000)} kB`);

const EXTENSION_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
};

/**
 * The type the upload declares (and its policy pins): what the bytes look like, else what the name
 * says. The API refuses what is no photo type; processing decides again from the bytes either way.
 */
export async function declaredPhotoType(path: string): Promise<string> {
  return (await fileTypeFromFile(path))?.mime ?? EXTENSION_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const errorBodySchema = z.object({
  error: z.object({ message: z.string().optional(), fields: z.array(z.object({ path: z.string(), rule: z.string(), message: z.string() })).optional() }).optional(),
});

const ticketSchema = z.object({ id: z.string(), upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }) });

export const mediaViewSchema = z.object({
  id: z.string(),
  status: z.enum(['processing', 'ready', 'rejected']),
  reason: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  renditions: z.array(z.object({ url: z.string(), format: z.string(), width: z.number() })).optional(),
});
export type MediaView = z.infer<typeof mediaViewSchema>;

/** The API's error message and field messages, as one line. */
async function apiError(response: Response): Promise<string> {
  const body = errorBodySchema.safeParse(await response.json().catch(() => ({})));
  const error = body.success ? body.data.error : undefined;
  const fields = error?.fields?.map((f) => f.message) ?? [];
  return fields.length ? fields.join('; ') : (error?.message ?? `HTTP ${response.status}`);
}

export interface PhotoApi {
  /** e.g. `http://127.0.0.1:3000`: the API answers under `/api/`. */
  api: string;
  apiKey: string;
}

/** `GET /api/media/{id}`; undefined when the API does not know the upload (or it is someone else's). */
export async function mediaStatus({ api, apiKey }: PhotoApi, id: string): Promise<MediaView | undefined> {
  const response = await fetch(`${api}/api/media/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET /api/media/${id} answered ${response.status}: ${await apiError(response)}`);
  return mediaViewSchema.parse(await response.json());
}

/**
 * Uploads a photo as the API asks: `POST /api/media` for a presigned POST, then the file to it,
 * streamed from disk, telling `onProgress` the bytes sent. Answers the media id once the upload landed.
 */
export async function uploadPhoto({ api, apiKey }: PhotoApi, path: string, onProgress: (sent: number, total: number) => void): Promise<string> {
  const name = basename(path);
  const { size: contentLength } = await stat(path);
  const contentType = await declaredPhotoType(path);
  const ticketResponse = await fetch(`${api}/api/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ contentType, contentLength, filename: name }),
  });
  if (ticketResponse.status === 400) {
    throw new PhotoRefusedError(
      `The photo ${name} was refused: ${await apiError(ticketResponse)}. Give a JPEG, PNG, WebP or AVIF photo of at most 40 MB (export it as JPEG); nothing was published.`,
    );
  }
  if (ticketResponse.status !== 201) throw new Error(`POST /api/media answered ${ticketResponse.status}: ${await apiError(ticketResponse)}`);
  const ticket = ticketSchema.parse(await ticketResponse.json());

  const response = await postMultipart(ticket.upload.url, ticket.upload.fields, { path, name, contentType, size: contentLength }, onProgress);
  if (response.status < 200 || response.status >= 300) {
    // S3 answers an XML <Error> whose <Message> says which condition of the policy failed.
    const message = /<Message>([^<]*)<\/Message>/.exec(response.body)?.[1] ?? response.body.slice(0, 200);
    throw new Error(`The upload of ${name} was refused by storage (${response.status}): ${message}. Nothing was published.`);
  }
  return ticket.id;
}

/**
 * Waits until processing has decided, showing that it is under way; a refused photo becomes a
 * `PhotoRefusedError` carrying processing's reason (which says what to do instead).
 */
export async function waitUntilProcessed(photoApi: PhotoApi, id: string, name: string, status: StatusLine, timeoutMs = 5 * 60_000): Promise<MediaView> {
  const started = Date.now();
  for (;;) {
    const view = await mediaStatus(photoApi, id);
    if (!view) throw new Error(`The API no longer knows the upload ${id} of ${name}; run the command again to upload it again.`);
    if (view.status === 'rejected') {
      status.show(`Processing ${name}: refused`, { done: true });
      // The reason is a sentence ("The file must be…: export it as JPEG and upload that.").
      throw new PhotoRefusedError(`The photo ${name} was refused. ${view.reason ?? 'Processing could not read it.'} Nothing was published: run the command again with the fixed photo.`);
    }
    if (view.status === 'ready') {
      const count = view.renditions?.length ?? 0;
      status.show(`Processing ${name}: ready, ${view.width ?? '?'}×${view.height ?? '?'} px in ${count} rendition${count === 1 ? '' : 's'}`, { done: true });
      return view;
    }
    const seconds = Math.floor((Date.now() - started) / 1000);
    if (Date.now() - started > timeoutMs) {
      status.show(`Processing ${name}: still processing`, { done: true });
      throw new Error(
        `The photo ${name} (upload ${id}) was still processing after ${Math.round(timeoutMs / 60_000)} minutes. Run the command again later: it waits for the same upload instead of sending it again.`,
      );
    }
    status.show(status.isTerminal ? `Processing ${name}… ${seconds} s` : `Processing ${name}…`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** What a presigned POST answered. */
interface FormAnswer {
  status: number;
  body: string;
}

/** A form field or file name inside a quoted multipart header: no quotes, no line breaks, ASCII only. */
const headerSafe = (text: string) => text.replace(/[^\x20-\x7e]|"/g, '_');

/**
 * POSTs `fields` and then the file as `file` (S3 wants the file last), as multipart/form-data with a
 * known Content-Length (S3 refuses chunked uploads). Node's fetch reports no upload progress, so the
 * body is written here, chunk by chunk, waiting for the socket to drain: bytes counted are bytes
 * handed to the network, not bytes queued in memory.
 */
async function postMultipart(
  url: string,
  fields: Record<string, string>,
  file: { path: string; name: string; contentType: string; size: number },
  onProgress: (sent: number, total: number) => void,
): Promise<FormAnswer> {
  const boundary = `pressline-${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${headerSafe(name)}"\r\n\r\n${value}\r\n`)
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${headerSafe(file.name)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const total = head.length + file.size + tail.length;

  const target = new URL(url);
  const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': total },
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  // Storage may answer (a refusal) before the body is all sent; that answer is what counts.
  let early: IncomingMessage | undefined;
  void answered.then((response) => (early = response), () => undefined);

  let sent = 0;
  const write = async (chunk: Buffer) => {
    if (!request.write(chunk)) await Promise.race([once(request, 'drain'), answered]);
    sent += chunk.length;
    onProgress(Math.min(sent, total), total);
  };
  try {
    await write(head);
    for await (const chunk of createReadStream(file.path, { highWaterMark: 256 * 1024 })) {
      if (early) break;
      await write(chunk as Buffer);
    }
    if (!early) {
      await write(tail);
      request.end();
    }
  } catch (error) {
    // The connection broke mid-body: storage's answer, if it sent one, says why.
    if (!early) {
      request.destroy();
      throw error;
    }
  }
  const response = early ?? (await answered);
  let body = '';
  response.setEncoding('utf8');
  for await (const chunk of response) body += chunk as string;
  // An answer before the whole body was sent leaves the rest unsent: this connection is done.
  if (early) request.destroy();
  return { status: response.statusCode ?? 0, body };
}
