import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { importWireCopy } from '../../shared/article/wire-import.js';
import { wireSubmission } from '../../shared/article/wire-submission.js';
import { ApiClient, apiTarget, printJson, withApiOptions } from './api.js';
import { OperationError, UsageError } from './errors.js';
import { articlePhotoId, contentKey, requirePhotoFile, sha256OfFile, UploadRecord } from './photo.js';
import { postArticle, printArticleAnswer } from './submit.js';

interface ImportOptions {
  headline: string;
  section: string;
  byline?: string;
  standfirst?: string;
  language?: string;
  tag: string[];
  photo?: string;
  alt?: string;
  caption?: string;
  credit?: string;
  print?: boolean;
  api?: string;
  json?: boolean;
  progress?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The lead photo's words: `--alt`, and the caption and credit of the wire copy's first line unless `--caption`/`--credit` replace them. */
function photoWords(text: string, options: ImportOptions): { alt: string; caption: string; credit: string } {
  const wire = importWireCopy(text);
  const caption = options.caption ?? wire.caption?.text;
  const credit = options.credit ?? wire.caption?.credit;
  if (!caption) throw new UsageError('The wire copy has no caption line for the photo: give --caption "…".');
  if (!credit) throw new UsageError('The caption line has no agency credit glued to its end ("…Gaza Strip.AFP"): give --credit AFP.');
  return { alt: options.alt!, caption, credit };
}

async function importWire(file: string, options: ImportOptions): Promise<void> {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file. Give the wire copy as a plain-text file.`);
  if (options.photo && !options.alt) throw new UsageError('--alt is required with --photo: say what the photo shows, for readers who cannot see it.');
  const text = readFileSync(file, 'utf8');
  const fields = {
    headline: options.headline,
    section: options.section,
    ...(options.byline ? { byline: options.byline } : {}),
    ...(options.standfirst ? { standfirst: options.standfirst } : {}),
    ...(options.language ? { language: options.language } : {}),
    tags: options.tag,
  };
  const submission = wireSubmission(text, fields);
  const words = options.photo ? photoWords(text, options) : undefined;
  if (options.print) {
    // Nothing is sent, so nothing is uploaded: the photo's id is only known once it is.
    printJson(words ? { ...submission, leadImage: { mediaId: '(the id of the uploaded photo)', ...words } } : submission);
    return;
  }
  const target = apiTarget(options);
  if (options.photo) requirePhotoFile(options.photo, '--photo');
  const photoHash = options.photo ? await sha256OfFile(options.photo) : undefined;
  const idempotencyKey = contentKey('wire', words ? { ...submission, leadImage: words } : submission, photoHash);

  let body = submission;
  if (options.photo && words) {
    const record = new UploadRecord(`${target.api} ${target.apiKey.split('.')[0]} ${idempotencyKey}`);
    const mediaId = await articlePhotoId(target, options.photo, record, options);
    body = { ...submission, leadImage: { mediaId, ...words } };
  }
  console.error(`Submitting "${options.headline}" (${Math.round(JSON.stringify(body).length / 1024)} kB) to ${target.api}/api/articles…`);
  try {
    const { answer, replayed } = await postArticle(new ApiClient(target), body, idempotencyKey);
    printArticleAnswer(answer, { json: options.json, replayed });
  } catch (error) {
    // Same content, another photo id: an earlier run published this article with an upload this machine no longer remembers.
    if (error instanceof OperationError && / answered 422:/.test(error.message) && options.photo) {
      throw new OperationError(`${error.message}\nAn earlier run already published this article (its upload record ${UploadRecord.file()} is gone); nothing new was published.`);
    }
    throw error;
  }
}

export function registerImport(program: Command): void {
  withApiOptions(
    program
      .command('import')
      .summary('publish plain-text wire copy, with its lead photo')
      .description(
        `Publishes plain-text wire copy: the first line is the photo caption (its agency credit glued on,
"…Gaza Strip.AFP"), short unpunctuated lines become subheadings, the "Short link:" footer is dropped.
Prints the article URL and then the short link, each on its own line.
--photo uploads the lead photo (JPEG, PNG, WebP or AVIF, up to 40 MB) with a progress bar, waits until
it is processed, and publishes it with the first line's caption and credit (--caption, --credit replace
them). Running the same command again never publishes twice: the request carries an Idempotency-Key
made from its content, photo included, and reuses the photo the first run uploaded.`,
      )
      .argument('<wire.txt>', 'the wire copy, plain text')
      .requiredOption('--headline <text>', 'the headline (wire copy has none)')
      .requiredOption('--section <slug>', 'the section, e.g. world')
      .option('--byline <name>', 'who wrote it, e.g. AFP')
      .option('--standfirst <text>', 'the summary under the headline')
      .option('--language <tag>', 'BCP 47 language tag (default en)')
      .option('--tag <tag>', 'a tag; repeat for more', collect, [])
      .option('--photo <file>', 'the lead photo to upload')
      .option('--alt <text>', 'what the photo shows (required with --photo)')
      .option('--caption <text>', "the photo's caption (default: the wire copy's first line)")
      .option('--credit <name>', "the photo's credit (default: the agency at the end of the first line)")
      .option('--print', 'show the JSON submission instead of sending it (uploads nothing)')
      .option('--progress', 'draw the upload progress bar even when stderr is not a terminal'),
  )
    .addHelpText(
      'after',
      `
Example:
  $ pressline import test/fixtures/khan-yunis-wire.txt --headline "Israel pulls troops out of southern Gaza" \\
      --section world --byline AFP --tag Gaza --photo lead.jpg --alt "A man stands by the rubble"
  http://127.0.0.1:3000/world/2026/11/25/israel-pulls-troops-out-of-southern-gaza/
  http://127.0.0.1:3000/s/uu74cyk`,
    )
    .action(importWire);
}
