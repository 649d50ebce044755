import type { Article } from '../article/article.js';
import type { Principal } from '../auth/api-key.js';
import { ForbiddenError } from '../errors.js';

/** Reporters may read back and change only the articles they published; editors any. */
export function authorizeAccess(principal: Principal, article: Pick<Article, 'createdBy'>): void {
  if (principal.role === 'editor' || article.createdBy.keyId === principal.keyId) return;
  throw new ForbiddenError('Reporters can read and change only their own articles; ask an editor.');
}

/** Takedowns (legal, corrections of record) are an editor's decision. */
export function authorizeTakedown(principal: Principal): void {
  if (principal.role !== 'editor') throw new ForbiddenError('Only an editor can take an article down.');
}
