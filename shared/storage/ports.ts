import type { Article } from '../article/article.js';
import type { ApiKeyRecord } from '../auth/api-key.js';

/** A short link as stored: the code and the path it points to. */
export interface ShortLink {
  code: string;
  articleId: string;
  path: string;
  status: 'active' | 'removed';
}

/** A listing entry: what an index page, feed or sitemap shows of an article. */
export interface ArticleSummary {
  id: string;
  path: string;
  headline: string;
  standfirst?: string;
  section: string;
  byline?: string;
  language: string;
  tags: string[];
  publishedAt: string;
  updatedAt: string;
  leadImage?: { key: string; alt: string; width: number; height: number };
}

export interface ArticleStore {
  /** Claims a URL path for an article; false when another article holds it. */
  claimPath(path: string, articleId: string): Promise<boolean>;
  releasePath(path: string, articleId: string): Promise<void>;
  /** Claims a short code; false when it is taken. */
  claimShortCode(link: ShortLink): Promise<boolean>;
  releaseShortCode(code: string, articleId: string): Promise<void>;
  getShortLink(code: string): Promise<ShortLink | undefined>;
  /** Writes the article and its listing entries: the commit point of a publish. */
  putArticle(article: Article, listings: string[]): Promise<void>;
  getArticle(id: string): Promise<Article | undefined>;
}

export interface KeyStore {
  getKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Stores a new key; never overwrites one with the same id. */
  putKey(record: ApiKeyRecord): Promise<void>;
}

export interface MediaStore {
  putPhoto(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  deletePhoto(key: string): Promise<void>;
}

export interface SiteStore {
  putPage(path: string, html: string): Promise<void>;
  deletePage(path: string): Promise<void>;
}
