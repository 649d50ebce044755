import type { Command } from 'commander';
import { ApiClient, apiTarget, printJson, withApiOptions } from './api.js';
import { FRONT_MATTER_EXAMPLE, readMarkdownArticle } from './markdown-article.js';
import { articlePhotoId, contentKey, requirePhotoFile, sha256OfFile, UploadRecord } from './photo.js';
import { postArticle, printArticleAnswer } from './submit.js';

interface PublishOptions {
  api?: string;
  json?: boolean;
  progress?: boolean;
  print?: boolean;
}

async function publish(file: string, options: PublishOptions): Promise<void> {
  const { submission, photoPath } = readMarkdownArticle(file);
  if (options.print) return printJson(photoPath ? { ...submission, leadImage: { mediaId: '(the id of the uploaded photo)', ...(submission.leadImage as object) } } : submission);
  const target = apiTarget(options);
  if (photoPath) requirePhotoFile(photoPath, 'leadImage.photo');
  const photoHash = photoPath ? await sha256OfFile(photoPath) : undefined;
  const idempotencyKey = contentKey('md', submission, photoHash);
  let body = submission;
  if (photoPath) {
    const mediaId = await articlePhotoId(target, photoPath, new UploadRecord(`${target.api} ${target.apiKey.split('.')[0]} ${idempotencyKey}`), options);
    body = { ...submission, leadImage: { ...(submission.leadImage as object), mediaId } };
  }
  const { answer, replayed } = await postArticle(new ApiClient(target), body, idempotencyKey);
  printArticleAnswer(answer, { json: options.json, replayed });
}

export function registerPublish(program: Command): void {
  withApiOptions(
    program
      .command('publish')
      .summary('publish (or save as a draft, or schedule) a Markdown file with front matter')
      .description(
        `Publishes a Markdown article whose front matter (YAML between --- lines) holds its fields.
A leadImage.photo is uploaded first, with a progress bar, and published once processed. "status: draft"
saves it unpublished (prints its private preview link); a publishAt later than now schedules it.
Published, it prints the article URL and then the short link, each on its own line. Running it
again with the same file never publishes twice.`,
      )
      .argument('<file.md>', 'the article: front matter, then the body in Markdown')
      .option('--print', 'show the JSON submission instead of sending it (uploads nothing)')
      .option('--progress', 'draw the upload progress bar even when stderr is not a terminal'),
  )
    .addHelpText(
      'after',
      `
The front matter:
${FRONT_MATTER_EXAMPLE.replace(/^/gm, '  ')}

Example:
  $ pressline publish story.md
  http://127.0.0.1:3000/world/2026/11/25/israel-pulls-troops-out-of-southern-gaza/
  http://127.0.0.1:3000/s/7kq2m9x`,
    )
    .action(publish);
}
