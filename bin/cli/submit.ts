import { z } from 'zod';
import type { ApiClient } from './api.js';
import { printJson } from './api.js';

const answerSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  version: z.number(),
  url: z.string().optional(),
  shortUrl: z.string().optional(),
  previewUrl: z.string().optional(),
  publishedAt: z.string().optional(),
});
export type ArticleAnswer = z.infer<typeof answerSchema>;

/**
 * `POST /api/articles` with an Idempotency-Key made from the content, so running a command again
 * answers the first result instead of publishing twice.
 */
export async function postArticle(client: ApiClient, submission: unknown, idempotencyKey: string): Promise<{ answer: ArticleAnswer; replayed: boolean }> {
  const { body, headers } = await client.request('POST', '/articles', { body: submission, headers: { 'idempotency-key': idempotencyKey } });
  return { answer: answerSchema.parse(body), replayed: headers.get('idempotent-replayed') === 'true' };
}

/**
 * What happened, for a person: a label on stderr, then the links alone on stdout, one a line (the
 * article URL, then the short link), so `pressline … | head -1` is the URL. `--json`: the answer.
 */
export function printArticleAnswer(answer: ArticleAnswer, options: { json?: boolean; replayed?: boolean; verb?: string }): void {
  if (options.json) return printJson(answer);
  const earlier = options.replayed ? ' (by an earlier run: nothing new was published)' : '';
  switch (answer.status) {
    case 'published':
      console.error(`${options.verb ?? 'Published'} article ${answer.id}, version ${answer.version}${earlier}:`);
      console.log(`${answer.url}\n${answer.shortUrl}`);
      return;
    case 'scheduled':
      console.error(`Scheduled article ${answer.id} for ${answer.publishedAt ?? 'its publishAt time'}${earlier}; its URL, live from then:`);
      console.log(answer.url ?? answer.previewUrl);
      return;
    default:
      console.error(`Saved article ${answer.id} as ${answer.status}, version ${answer.version}${earlier}; its private preview:`);
      if (answer.previewUrl) console.log(answer.previewUrl);
  }
}
