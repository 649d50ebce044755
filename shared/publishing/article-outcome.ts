import type { Article, ArticleStatus } from '../article/article.js';
import { articleUrl, shortUrl, type SiteUrls } from '../render/site-paths.js';
import type { ArticleOutcome } from '../storage/ports.js';

/** Statuses whose URL path is claimed: the URL the article has, or will have at its embargo. */
const HAS_URL: ReadonlySet<ArticleStatus> = new Set(['scheduled', 'published']);
/** Statuses with a private preview. */
export const PREVIEWABLE: ReadonlySet<ArticleStatus> = new Set(['draft', 'submitted', 'scheduled']);

/** `/api/preview/<id>.<token>`: under /api/, so never cached by the CDN and disallowed by robots.txt. */
export const previewPath = (article: Pick<Article, 'id' | 'previewToken'>) => `/api/preview/${article.id}.${article.previewToken}`;

/** What the API answers about an article after a change. */
export function outcomeOf(article: Article, urls: SiteUrls): ArticleOutcome {
  return {
    id: article.id,
    version: article.version,
    status: article.status,
    ...(HAS_URL.has(article.status) ? { url: articleUrl(article, urls), shortUrl: shortUrl(article.shortCode, urls) } : {}),
    ...(PREVIEWABLE.has(article.status) && article.previewToken ? { previewUrl: urls.publicBaseUrl + previewPath(article) } : {}),
  };
}
