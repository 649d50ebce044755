import type { Command } from 'commander';
import { ApiClient, apiTarget, withApiOptions } from './api.js';
import { articleIdArgument, readArticle, submissionOf } from './stored-article.js';
import { OperationError, UsageError } from './errors.js';
import { printArticleAnswer, type ArticleAnswer } from './submit.js';

interface ScheduleOptions {
  api?: string;
  json?: boolean;
  at: string;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The time to publish at: ISO 8601 with its zone (an hour without one is ambiguous), later than now. */
function publishTime(at: string, now = Date.now()): string {
  if (!ISO_WITH_ZONE.test(at) || Number.isNaN(Date.parse(at))) {
    throw new UsageError(`--at takes an ISO 8601 time with its zone, e.g. 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00; received "${at}".`);
  }
  if (Date.parse(at) <= now) throw new UsageError(`--at ${at} is not in the future: give a later time (to publish now, use \`pressline publish\`).`);
  return new Date(Date.parse(at)).toISOString();
}

/**
 * Sets the article's publication time (a `PUT` with If-Match), then, unless it was already
 * scheduled (the new time reschedules it), asks to publish it: a future time makes it scheduled.
 */
async function schedule(id: string, options: ScheduleOptions): Promise<void> {
  const publishedAt = publishTime(options.at);
  const client = new ApiClient(apiTarget(options));
  const { article, etag } = await readArticle(client, id);
  if (article.status === 'published' || article.status === 'removed') {
    throw new OperationError(`Article ${id} is ${article.status}: only a draft, submitted or scheduled article can be scheduled. Save a new draft with \`pressline publish\` instead.`);
  }
  const path = `/articles/${encodeURIComponent(id)}`;
  const changed = await client.request('PUT', path, { body: { ...submissionOf(article), publishedAt }, headers: { 'if-match': etag } });
  let answer = changed.body as ArticleAnswer;
  if (answer.status !== 'scheduled') answer = (await client.request('POST', `${path}/publish`, { headers: { 'if-match': `"${answer.version}"` } })).body as ArticleAnswer;
  printArticleAnswer({ ...answer, publishedAt }, options);
}

export function registerSchedule(program: Command): void {
  withApiOptions(
    program
      .command('schedule')
      .summary('schedule a draft to go live at a time (or move a scheduled one)')
      .description(
        `Publishes a draft or submitted article at a later time (an embargo): it goes live then, never
before, and carries that time. A scheduled article gets the new time. With review on, a reporter's
request waits for an editor. Prints the URL it will have.`,
      )
      .argument(...articleIdArgument)
      .requiredOption('--at <ISO time>', 'when, with its zone: 2026-12-01T09:00:00Z'),
  )
    .addHelpText(
      'after',
      `
Example:
  $ pressline schedule 3f1c2a9e-5b7d-4c1e-9a8f-0d2e4b6c8a10 --at 2026-12-01T09:00:00Z
  http://127.0.0.1:3000/world/2026/12/01/talks-resume-in-cairo/`,
    )
    .action(schedule);
}
