import type { Article } from '../article/article.js';
import { recordedPersonId, type Principal } from '../auth/api-key.js';
import { ForbiddenError } from '../errors.js';
import type { MediaRecord } from '../media/media.js';

/** Reporters may read back and change only the articles they published (with any of their keys); editors any. */
export function authorizeAccess(principal: Principal, article: Pick<Article, 'createdBy'>): void {
  if (principal.role === 'editor' || recordedPersonId(article.createdBy) === principal.personId) return;
  throw new ForbiddenError('Reporters can read and change only their own articles; ask an editor.');
}

/** Takedowns (legal, corrections of record) are an editor's decision. */
export function authorizeTakedown(principal: Principal): void {
  if (principal.role !== 'editor') throw new ForbiddenError('Only an editor can take an article down.');
}

/** Whether the upload is the principal's own (made with any of their keys). */
export function ownsUpload(principal: Principal, record: Pick<MediaRecord, 'ownerKeyId' | 'ownerPersonId'>): boolean {
  return recordedPersonId({ personId: record.ownerPersonId, keyId: record.ownerKeyId }) === principal.personId;
}
