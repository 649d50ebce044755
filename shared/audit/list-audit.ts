import type { Principal } from '../auth/api-key.js';
import { ForbiddenError, ValidationError, type FieldProblem } from '../errors.js';
import type { AuditPage, AuditStore } from '../storage/ports.js';

export const AUDIT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

export interface AuditQuery {
  articleId?: string;
  cursor?: string;
  limit?: string;
}

/** `GET /api/audit?articleId=&cursor=&limit=`: the newsroom's writes (or one article's), newest first; editors only. */
export async function listAudit(query: AuditQuery, principal: Principal, deps: { auditTrail: AuditStore }): Promise<AuditPage> {
  if (principal.role !== 'editor') throw new ForbiddenError('Only an editor can read the audit trail.');
  const problems: FieldProblem[] = [];
  if (query.articleId !== undefined && !/^[0-9a-f-]{36}$/.test(query.articleId)) {
    problems.push({ path: 'articleId', rule: 'format', message: `articleId must be an article id (a UUID); received "${query.articleId}"` });
  }
  const limit = query.limit === undefined ? AUDIT_PAGE_SIZE : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    problems.push({ path: 'limit', rule: 'range', message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}; received "${query.limit}"` });
  }
  if (problems.length) throw new ValidationError(problems, 'The query has problems; see fields.');
  return query.articleId ? deps.auditTrail.forArticle(query.articleId, limit, query.cursor) : deps.auditTrail.recent(limit, query.cursor);
}
