import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ApiClient, apiTarget, printJson, withApiOptions } from './api.js';
import { articleIdArgument, readArticle } from './stored-article.js';
import { UsageError } from './errors.js';

interface TakedownOptions {
  api?: string;
  json?: boolean;
  reason: string;
  purge?: boolean;
  yes?: boolean;
}

/** A person at a terminal types "yes"; anything else keeps the article. */
async function confirmed(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await prompt.question(question)).trim().toLowerCase() === 'yes';
  } finally {
    prompt.close();
  }
}

async function takedown(id: string, options: TakedownOptions): Promise<void> {
  if (!options.reason.trim()) throw new UsageError('--reason must say why, e.g. --reason "court order 2026/118".');
  const client = new ApiClient(apiTarget(options));
  const { article } = await readArticle(client, id);
  if (!options.yes) {
    if (!process.stdin.isTTY) throw new UsageError(`A takedown cannot be undone: add --yes to take down "${article.headline}" without being asked.`);
    const question = `Take down "${article.headline}" (${article.status}) for good? Its page and short link will answer 410 and its photo is deleted. Type yes to go on: `;
    if (!(await confirmed(question))) {
      console.error('Nothing was taken down.');
      return;
    }
  }
  // The reason is kept in the article's history (its revisions), with who took it down and when.
  const { body } = await client.request('DELETE', `/articles/${encodeURIComponent(id)}`, { body: { reason: options.reason, ...(options.purge ? { purge: true } : {}) } });
  if (options.json) return printJson(body);
  const purged = options.purge ? ' Every stored version of its photos was purged.' : '';
  console.error(`Took down article ${id} ("${article.headline}") because: ${options.reason}. Its page and short link answer 410 from now on.${purged}`);
}

export function registerTakedown(program: Command): void {
  withApiOptions(
    program
      .command('takedown')
      .summary('take an article down for good (editors)')
      .description(
        `Legal takedown, immediate everywhere: the page and short link answer 410, the photo is deleted, the
article leaves every listing, feed and sitemap, and the CDN forgets it. Asks for confirmation at a
terminal; --yes skips that (scripts must give it). Editors' keys only.`,
      )
      .argument(...articleIdArgument)
      .requiredOption('--reason <text>', 'why, kept in the article\'s history, e.g. "court order 2026/118"')
      .option('--purge', 'legal takedown that keeps no copy: also delete every stored version of its photos')
      .option('--yes', 'do not ask for confirmation'),
  )
    .addHelpText(
      'after',
      `
Example:
  $ pressline takedown 3f1c2a9e-5b7d-4c1e-9a8f-0d2e4b6c8a10 --reason "court order 2026/118" --yes`,
    )
    .action(takedown);
}
