import { articleSchema, type Article } from '../../shared/article/article.js';
import type { ApiClient } from './api.js';

/** The stored article and the version to send as If-Match: a change applies to what was read, or answers 412. */
export async function readArticle(client: ApiClient, id: string): Promise<{ article: Article; etag: string }> {
  const { body, headers } = await client.request('GET', `/articles/${encodeURIComponent(id)}`);
  const article = articleSchema.parse(body);
  return { article, etag: headers.get('etag') ?? `"${article.version}"` };
}

/** The stored article as a submission `PUT` takes: its words, without `leadImage` (left out, the photo stays). */
export function submissionOf(article: Article): Record<string, unknown> {
  return {
    headline: article.headline,
    ...(article.standfirst ? { standfirst: article.standfirst } : {}),
    section: article.section,
    ...(article.byline ? { byline: article.byline } : {}),
    language: article.language,
    tags: article.tags,
    body: article.body,
  };
}

export const articleIdArgument = ['<id>', "the article's id (`pressline list` shows them)"] as const;
