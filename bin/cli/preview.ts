import type { Command } from 'commander';
import { ApiClient, apiTarget, withApiOptions } from './api.js';
import { articleIdArgument } from './stored-article.js';
import { printArticleAnswer, type ArticleAnswer } from './submit.js';

interface PreviewOptions {
  api?: string;
  json?: boolean;
  revoke?: boolean;
}

async function preview(id: string, options: PreviewOptions): Promise<void> {
  const { body } = await new ApiClient(apiTarget(options)).request(options.revoke ? 'DELETE' : 'POST', `/articles/${encodeURIComponent(id)}/preview`);
  const answer = body as ArticleAnswer;
  if (options.json) return printArticleAnswer(answer, options);
  if (options.revoke) {
    console.error(`Revoked the preview link of article ${answer.id}: it answers 404 from now on.`);
    return;
  }
  console.error(`A new private preview link for article ${answer.id} (${answer.status}); whoever has it can read the article until it is published or you run this with --revoke:`);
  console.log(answer.previewUrl);
}

export function registerPreview(program: Command): void {
  withApiOptions(
    program
      .command('preview')
      .summary("turn on an unpublished article's private preview link and print it")
      .description(
        `Issues a new private preview link for a draft, submitted or scheduled article and prints it (an
earlier link stops working). The page is the published template, never cached or indexed.`,
      )
      .argument(...articleIdArgument)
      .option('--revoke', 'turn the preview link off instead'),
  )
    .addHelpText(
      'after',
      `
Example:
  $ pressline preview 3f1c2a9e-5b7d-4c1e-9a8f-0d2e4b6c8a10
  http://127.0.0.1:3000/api/preview/3f1c2a9e-5b7d-4c1e-9a8f-0d2e4b6c8a10.k9q…`,
    )
    .action(preview);
}
