import { basename } from 'node:path';
import type { Command } from 'commander';
import { ApiClient, apiTarget, withApiOptions } from './api.js';
import { articleIdArgument, readArticle, submissionOf } from './stored-article.js';
import { readMarkdownArticle } from './markdown-article.js';
import { requirePhotoFile, uploadShowingProgress, waitShowingStatus } from './photo.js';
import { printArticleAnswer, type ArticleAnswer } from './submit.js';

interface CorrectOptions {
  api?: string;
  json?: boolean;
  progress?: boolean;
  note: string;
  file?: string;
  headline?: string;
}

/**
 * Reads the article (its version), replaces its words with the Markdown file's (or keeps them),
 * applies --headline, and `PUT`s it with the note and If-Match: a change made since answers 412.
 */
async function correct(id: string, options: CorrectOptions): Promise<void> {
  const fromFile = options.file ? readMarkdownArticle(options.file) : undefined;
  if (fromFile?.photoPath) requirePhotoFile(fromFile.photoPath, 'leadImage.photo');
  const target = apiTarget(options);
  const client = new ApiClient(target);
  const { article, etag } = await readArticle(client, id);
  let submission = fromFile ? { ...fromFile.submission } : submissionOf(article);
  // A correction never changes the status or the publication time: those belong to the article.
  delete submission.status;
  delete submission.publishedAt;
  if (fromFile?.photoPath) {
    const mediaId = await uploadShowingProgress(target, fromFile.photoPath, options);
    await waitShowingStatus(target, mediaId, basename(fromFile.photoPath));
    submission = { ...submission, leadImage: { ...(submission.leadImage as object), mediaId } };
  }
  const { body } = await client.request('PUT', `/articles/${encodeURIComponent(id)}`, {
    body: { ...submission, ...(options.headline ? { headline: options.headline } : {}), correction: options.note },
    headers: { 'if-match': etag },
  });
  printArticleAnswer(body as ArticleAnswer, { ...options, verb: 'Corrected' });
}

export function registerCorrect(program: Command): void {
  withApiOptions(
    program
      .command('correct')
      .summary('correct an article, with a note readers see')
      .description(
        `Corrects an article: its text from --file (a Markdown file with front matter, as for publish) or as
stored, --headline if given, and the note, shown dated under the article. URL and short link never
change. It sends the version it read (If-Match): if someone changed the article in between it
answers 412 and changes nothing; run it again.`,
      )
      .argument(...articleIdArgument)
      .requiredOption('--note <text>', 'the correction readers see, e.g. "An earlier version misspelt the minister\'s name."')
      .option('--file <file.md>', 'the corrected article (front matter and body)')
      .option('--headline <text>', 'a corrected headline')
      .option('--progress', "draw the upload progress bar (a new leadImage.photo in --file) even when stderr is not a terminal"),
  )
    .addHelpText(
      'after',
      `
Example:
  $ pressline correct 3f1c2a9e-5b7d-4c1e-9a8f-0d2e4b6c8a10 --file story.md \\
      --note "An earlier version gave the wrong date for the talks."`,
    )
    .action(correct);
}
