import { Option, type Command } from 'commander';
import { z } from 'zod';
import { ARTICLE_STATUSES } from '../../shared/article/article.js';
import { ApiClient, apiTarget, printJson, withApiOptions } from './api.js';
import { UsageError } from './errors.js';

interface ListOptions {
  api?: string;
  json?: boolean;
  status?: string;
  mine?: boolean;
  limit?: string;
  cursor?: string;
}

const deskSchema = z.object({
  articles: z.array(
    z.looseObject({ id: z.string(), headline: z.string(), status: z.string(), updatedAt: z.string(), publishedAt: z.string(), url: z.string().optional(), previewUrl: z.string().optional() }),
  ),
  nextCursor: z.string().optional(),
});

async function list(options: ListOptions): Promise<void> {
  if (options.limit !== undefined && !/^[1-9]\d*$/.test(options.limit)) throw new UsageError(`--limit takes a whole number from 1 to 100; received "${options.limit}".`);
  const query = new URLSearchParams({
    ...(options.status ? { status: options.status } : {}),
    ...(options.mine ? { mine: 'true' } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
  const { body } = await new ApiClient(apiTarget(options)).request('GET', `/articles${query.size ? `?${query}` : ''}`);
  if (options.json) return printJson(body);
  const desk = deskSchema.parse(body);
  if (desk.articles.length === 0) console.error(`No articles${options.status ? ` with status ${options.status}` : ''}.`);
  // One article a line, tab-separated, so it sorts, greps and cuts.
  for (const a of desk.articles) console.log([a.id, a.status, a.updatedAt, a.headline, a.url ?? a.previewUrl ?? ''].join('\t'));
  if (desk.nextCursor) console.error(`More: add --cursor ${desk.nextCursor}`);
}

export function registerList(program: Command): void {
  withApiOptions(
    program
      .command('list')
      .summary("the newsroom's articles, newest first")
      .description(
        `Lists articles newest first, one a line: id, status, last change, headline, and the URL (or the
private preview link of an unpublished one), separated by tabs. A reporter's key sees the reporter's
own articles, an editor's everyone's (--mine: only the editor's own).`,
      )
      .addOption(new Option('--status <status>', 'only articles with this status').choices(ARTICLE_STATUSES))
      .option('--mine', "only your own articles (an editor's key sees everyone's otherwise)")
      .option('--limit <n>', 'how many (1 to 100; default 20)')
      .option('--cursor <cursor>', 'the next page, as the previous page said'),
  )
    .addHelpText(
      'after',
      `
Example:
  $ pressline list --status draft
  3f1c…\tdraft\t2026-11-25T10:02:11.000Z\tTalks resume in Cairo\thttp://127.0.0.1:3000/api/preview/3f1c….k9…
  $ pressline list --mine --json | jq -r '.articles[].url'`,
    )
    .action(list);
}
