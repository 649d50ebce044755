import type { Principal } from '../auth/api-key.js';
import { ForbiddenError, ValidationError, type FieldProblem } from '../errors.js';
import type { AuditPage, AuditStore } from '../storage/ports.js';
import { pageLimit } from '../storage/page-cursor.js';

export const AUDIT_PAGE_SIZE = 50;

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
  const size = pageLimit(query.limit, AUDIT_PAGE_SIZE);
  if ('problem' in size) problems.push(size.problem);
  if (problems.length || 'problem' in size) throw new ValidationError(problems, 'The query has problems; see fields.');
  const { limit } = size;
  return query.articleId ? deps.auditTrail.forArticle(query.articleId, limit, query.cursor) : deps.auditTrail.recent(limit, query.cursor);
}
