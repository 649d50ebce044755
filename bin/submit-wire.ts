import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { wireSubmission, type WireSubmissionOptions } from '../shared/article/wire-submission.js';
import { isMain, runCommand, UsageError } from './command.js';
import { mediaStatus, StatusLine, uploadPhoto, waitUntilProcessed, type PhotoApi } from './photo-upload.js';

export const SUBMIT_WIRE_USAGE = `Usage: npm run submit:wire -- <wire.txt> --headline "…" --section world
         [--byline AFP] [--tag Gaza --tag Egypt] [--language en] [--standfirst "…"]
         [--photo lead.jpg --alt "what the photo shows" [--credit AFP]]
         [--api http://127.0.0.1:3000] [--print]

Publishes plain-text wire copy: the first line is the photo caption (its agency credit glued on,
"…Gaza Strip.AFP"), short unpunctuated lines become subheadings, the "Short link:" footer is dropped.
--photo uploads the lead photo (JPEG, PNG, WebP or AVIF, up to 40 MB) showing its progress, waits
until it is processed, and publishes it with that caption and credit (--credit replaces the credit);
--alt says what it shows. A refused photo exits 1 with the reason; nothing is published.
The key is PRESSLINE_API_KEY, or the one npm start saved in $PRESSLINE_DATA_DIR/local-api-key.
--print shows the JSON submission instead of sending it (and uploads nothing). Retrying the same
command never publishes twice: the request carries an Idempotency-Key made from its content, photo
included, and reuses the photo the first run uploaded (remembered in $PRESSLINE_DATA_DIR).`;

interface SubmitArgs {
  file: string;
  api: string;
  print: boolean;
  headline: string;
  section: string;
  byline?: string;
  standfirst?: string;
  language?: string;
  tags: string[];
  photo?: { path: string; alt: string; credit?: string };
}

export function parseSubmitArgs(args: string[]): SubmitArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        headline: { type: 'string' }, section: { type: 'string' }, byline: { type: 'string' }, standfirst: { type: 'string' },
        language: { type: 'string' }, tag: { type: 'string', multiple: true }, photo: { type: 'string' }, alt: { type: 'string' },
        credit: { type: 'string' }, api: { type: 'string' }, print: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('Give one wire copy file.');
  if (!values.headline) throw new UsageError('--headline is required: wire copy has none.');
  if (!values.section) throw new UsageError('--section is required, e.g. --section world.');
  if (values.photo && !values.alt) throw new UsageError('--alt is required with --photo: say what the photo shows, for readers who cannot see it.');
  return {
    file,
    api: (values.api ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, ''),
    print: values.print ?? false,
    headline: values.headline,
    section: values.section,
    ...(values.byline ? { byline: values.byline } : {}),
    ...(values.standfirst ? { standfirst: values.standfirst } : {}),
    ...(values.language ? { language: values.language } : {}),
    tags: values.tag ?? [],
    ...(values.photo ? { photo: { path: values.photo, alt: values.alt!, ...(values.credit ? { credit: values.credit } : {}) } } : {}),
  };
}

/** Where `npm start` keeps its data (and its key); the command also remembers its uploads there. */
const dataDir = () => process.env.PRESSLINE_DATA_DIR ?? '.pressline';

function apiKey(): string {
  if (process.env.PRESSLINE_API_KEY) return process.env.PRESSLINE_API_KEY.trim();
  const saved = join(dataDir(), 'local-api-key');
  if (existsSync(saved)) return readFileSync(saved, 'utf8').trim();
  throw new UsageError(`No API key: set PRESSLINE_API_KEY, or start the local pipeline (npm start) so that ${saved} exists.`);
}

interface ErrorBody {
  error?: { message?: string; fields?: Array<{ path: string; rule: string; message: string }> };
}

const leadImageWordsSchema = z.object({ alt: z.string(), caption: z.string(), credit: z.string() });

/**
 * The lead photo's words: the alt text given, the caption and credit from the wire copy's first line,
 * as the importer reads them. Checked before anything is uploaded (no caption line, no credit).
 */
function leadImageWords(text: string, options: WireSubmissionOptions, photo: NonNullable<SubmitArgs['photo']>): z.infer<typeof leadImageWordsSchema> {
  const { leadImage } = wireSubmission(text, { ...options, photo: { bytes: new Uint8Array(), alt: photo.alt, ...(photo.credit ? { credit: photo.credit } : {}) } });
  return leadImageWordsSchema.parse(leadImage);
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The uploads earlier runs made, by (API, key, article content): running the same command again
 * sends the same submission, same photo id included, so the API answers the first result instead of
 * refusing a reused Idempotency-Key. Written only once an upload has landed.
 */
class UploadRecord {
  private readonly file = join(dataDir(), 'submit-wire-uploads.json');

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

/** The photo's media id: an earlier run's upload of the same article if it is still usable, else a new upload, once processed. */
async function uploadedPhotoId(photoApi: PhotoApi, path: string, record: UploadRecord, status: StatusLine): Promise<string> {
  const name = basename(path);
  const earlier = record.get();
  const view = earlier ? await mediaStatus(photoApi, earlier) : undefined;
  if (earlier && view && view.status !== 'rejected') {
    console.error(`${name} was uploaded by an earlier run (${earlier}).`);
    await waitUntilProcessed(photoApi, earlier, name, status);
    return earlier;
  }
  const id = await uploadPhoto(photoApi, path, status);
  record.set(id);
  await waitUntilProcessed(photoApi, id, name, status);
  return id;
}

async function main(): Promise<void> {
  const args = parseSubmitArgs(process.argv.slice(2));
  const { photo, file, api, print, ...fields } = args;
  const text = readFileSync(file, 'utf8');
  const submission = wireSubmission(text, fields);
  const words = photo ? leadImageWords(text, fields, photo) : undefined;
  if (print) {
    // Nothing is sent, so nothing is uploaded: the photo's id is only known once it is.
    console.log(JSON.stringify(words ? { ...submission, leadImage: { mediaId: '(the id of the uploaded photo)', ...words } } : submission, null, 2));
    return;
  }
  const key = apiKey();
  if (photo && !existsSync(photo.path)) throw new UsageError(`--photo ${photo.path}: no such file.`);
  // The key names the content, photo bytes included, never the upload: a second upload of the same photo is the same article.
  const photoHash = photo ? await sha256OfFile(photo.path) : undefined;
  const content = JSON.stringify(words ? { ...submission, leadImage: words } : submission) + (photoHash ? `\n${photoHash}` : '');
  const idempotencyKey = `wire-${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;

  let body = JSON.stringify(submission);
  if (photo && words) {
    const status = new StatusLine();
    try {
      const mediaId = await uploadedPhotoId({ api, apiKey: key }, photo.path, new UploadRecord(`${api} ${key.split('.')[0]} ${idempotencyKey}`), status);
      body = JSON.stringify({ ...submission, leadImage: { mediaId, ...words } });
    } finally {
      status.end();
    }
  }
  console.error(`Submitting "${args.headline}" (${Math.round(body.length / 1024)} kB) to ${api}/api/articles…`);
  const response = await fetch(`${api}/api/articles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body,
  });
  const answer = (await response.json()) as { url?: string; shortUrl?: string } & ErrorBody;
  if (!response.ok) {
    const fieldErrors = answer.error?.fields?.map((f) => `\n  ${f.path}: ${f.message} (${f.rule})`).join('') ?? '';
    // Same content, different photo id: an earlier run published this article with an upload this machine no longer remembers.
    const hint = response.status === 422 && photo ? `\nAn earlier run already published this article (its upload record ${join(dataDir(), 'submit-wire-uploads.json')} is gone); nothing new was published.` : '';
    throw new Error(`${response.status}: ${answer.error?.message ?? 'no error message'}${fieldErrors}${hint}`);
  }
  console.error(response.headers.get('idempotent-replayed') ? 'Already published by an earlier run:' : 'Published:');
  console.log(`${answer.url}\nShort link: ${answer.shortUrl}`);
}

if (isMain(import.meta.url)) runCommand(main, SUBMIT_WIRE_USAGE);
