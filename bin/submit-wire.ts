import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wireSubmission } from '../shared/article/wire-submission.js';
import { isMain, runCommand, UsageError } from './command.js';

export const SUBMIT_WIRE_USAGE = `Usage: npm run submit:wire -- <wire.txt> --headline "…" --section world
         [--byline AFP] [--tag Gaza --tag Egypt] [--language en] [--standfirst "…"]
         [--photo lead.jpg --alt "what the photo shows" [--credit AFP]]
         [--api http://127.0.0.1:3000] [--print]

Publishes plain-text wire copy: the first line is the photo caption (its agency credit glued on,
"…Gaza Strip.AFP"), short unpunctuated lines become subheadings, the "Short link:" footer is dropped.
The key is PRESSLINE_API_KEY, or the one npm start saved in $PRESSLINE_DATA_DIR/local-api-key.
--print shows the JSON submission instead of sending it. Retrying the same command never publishes
twice: the request carries an Idempotency-Key made from its content.`;

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

function apiKey(): string {
  if (process.env.PRESSLINE_API_KEY) return process.env.PRESSLINE_API_KEY.trim();
  const saved = join(process.env.PRESSLINE_DATA_DIR ?? '.pressline', 'local-api-key');
  if (existsSync(saved)) return readFileSync(saved, 'utf8').trim();
  throw new UsageError(`No API key: set PRESSLINE_API_KEY, or start the local pipeline (npm start) so that ${saved} exists.`);
}

interface ErrorBody {
  error?: { message?: string; fields?: Array<{ path: string; rule: string; message: string }> };
}

async function main(): Promise<void> {
  const args = parseSubmitArgs(process.argv.slice(2));
  const { photo, ...text } = args;
  const submission = wireSubmission(readFileSync(args.file, 'utf8'), {
    ...text,
    ...(photo ? { photo: { bytes: readFileSync(photo.path), alt: photo.alt, ...(photo.credit ? { credit: photo.credit } : {}) } } : {}),
  });
  const body = JSON.stringify(submission);
  if (args.print) {
    console.log(JSON.stringify(submission, null, 2));
    return;
  }
  console.error(`Submitting "${args.headline}" (${Math.round(body.length / 1024)} kB) to ${args.api}/api/articles…`);
  const response = await fetch(`${args.api}/api/articles`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${apiKey()}`,
      'content-type': 'application/json',
      'idempotency-key': `wire-${createHash('sha256').update(body).digest('hex').slice(0, 32)}`,
    },
    body,
  });
  const answer = (await response.json()) as { url?: string; shortUrl?: string } & ErrorBody;
  if (!response.ok) {
    const fields = answer.error?.fields?.map((f) => `\n  ${f.path}: ${f.message} (${f.rule})`).join('') ?? '';
    throw new Error(`${response.status}: ${answer.error?.message ?? 'no error message'}${fields}`);
  }
  console.error(response.headers.get('idempotent-replayed') ? 'Already published by an earlier run:' : 'Published:');
  console.log(`${answer.url}\nShort link: ${answer.shortUrl}`);
}

if (isMain(import.meta.url)) runCommand(main, SUBMIT_WIRE_USAGE);
