import type { Article } from '../article/article.js';
import { recordedPersonId, type Principal } from '../auth/api-key.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { articleUrl, type SiteUrls } from '../render/site-paths.js';
import type { ArticleStore, DeskEntry, DeskStore, RevisionSummary } from '../storage/ports.js';
import { lists } from '../storage/table-layout.js';
import { pageLimit } from '../storage/page-cursor.js';
import { PREVIEWABLE, previewPath } from './article-outcome.js';
import { authorizeAccess } from './authorize.js';
import { STATUS_FILTERS } from './workflow.js';

export const DESK_PAGE_SIZE = 20;

export interface DeskQuery {
  status?: string;
  mine?: string;
  cursor?: string;
  limit?: string;
}

/** One line of the newsroom's screen. */
export interface DeskLine {
  id: string;
  headline: string;
  status: Article['status'];
  section: string;
  byline?: string;
  version: number;
  publishedAt: string;
  updatedAt: string;
  createdBy: { personId: string; keyId: string; name: string };
  url?: string;
  previewUrl?: string;
}

function lineOf(entry: DeskEntry, urls: SiteUrls): DeskLine {
  const { id, headline, status, section, byline, version, publishedAt, updatedAt, createdBy } = entry;
  return {
    id, headline, status, section, ...(byline ? { byline } : {}), version, publishedAt, updatedAt,
    createdBy: { personId: recordedPersonId(createdBy), keyId: createdBy.keyId, name: createdBy.name },
    ...(status === 'published' || status === 'scheduled' ? { url: articleUrl(entry, urls) } : {}),
    ...(PREVIEWABLE.has(status) && entry.previewToken ? { previewUrl: urls.publicBaseUrl + previewPath({ id, previewToken: entry.previewToken }) } : {}),
  };
}

/**
 * `GET /api/articles?status=&mine=true&cursor=`: the newsroom's articles, newest first, one Query
 * per page. A reporter sees their own; an editor everyone's, or their own with `mine=true`.
 */
export async function listDesk(query: DeskQuery, principal: Principal, deps: { desk: DeskStore; urls: SiteUrls }): Promise<{ articles: DeskLine[]; nextCursor?: string }> {
  const problems = [];
  if (query.status !== undefined && !STATUS_FILTERS.includes(query.status as Article['status'])) {
    problems.push({ path: 'status', rule: 'enum', message: `status must be one of ${STATUS_FILTERS.join(', ')}; received "${query.status}"` });
  }
  if (query.mine !== undefined && query.mine !== 'true' && query.mine !== 'false') {
    problems.push({ path: 'mine', rule: 'boolean', message: `mine must be true or false; received "${query.mine}"` });
  }
  const size = pageLimit(query.limit, DESK_PAGE_SIZE);
  if ('problem' in size) problems.push(size.problem);
  if (problems.length || 'problem' in size) throw new ValidationError(problems, 'The query has problems; see fields.');
  const { limit } = size;
  const mine = principal.role !== 'editor' || query.mine === 'true';
  const list = lists.desk({ ...(query.status ? { status: query.status } : {}), ...(mine ? { ownerId: principal.personId } : {}) });
  const page = await deps.desk.page(list, limit, query.cursor);
  return { articles: page.entries.map((entry) => lineOf(entry, deps.urls)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** One line of an article's history: the version, who made it and when, the status change, the note. */
export interface RevisionLine {
  version: number;
  status: Article['status'];
  headline: string;
  at: string;
  by: { personId: string; keyId: string; name: string; role: string };
  kind: string;
  fromStatus?: Article['status'];
  note?: string;
}

function revisionLine(revision: RevisionSummary | Article, createdBy: Article['createdBy']): RevisionLine {
  // Versions stored before history was kept carry no change record: the first was its publish.
  const change = revision.change ?? { version: revision.version, by: createdBy, at: revision.updatedAt, kind: revision.version === 1 ? 'published' : 'updated' };
  return {
    version: revision.version,
    status: revision.status,
    headline: revision.headline,
    at: change.at,
    by: { personId: recordedPersonId(change.by), keyId: change.by.keyId, name: change.by.name, role: change.by.role },
    kind: change.kind,
    ...('fromStatus' in change && change.fromStatus ? { fromStatus: change.fromStatus } : {}),
    ...('note' in change && change.note ? { note: change.note } : {}),
  };
}

/** `GET /api/articles/{id}/revisions`: every version, oldest first, the current one last. */
export async function listRevisions(id: string, principal: Principal, deps: { articles: ArticleStore }): Promise<{ revisions: RevisionLine[] }> {
  const current = await deps.articles.getArticle(id);
  if (!current) throw new NotFoundError(`No article ${id}.`);
  authorizeAccess(principal, current);
  const kept = (await deps.articles.listRevisions(id)).filter((r) => r.version < current.version);
  return { revisions: [...kept, current].map((r) => revisionLine(r, current.createdBy)) };
}

/** `GET /api/articles/{id}/revisions/{n}`: one version as it was stored. */
export async function getRevision(id: string, version: number, principal: Principal, deps: { articles: ArticleStore }): Promise<Article> {
  const current = await deps.articles.getArticle(id);
  if (!current) throw new NotFoundError(`No article ${id}.`);
  authorizeAccess(principal, current);
  if (version === current.version) return current;
  const revision = version < current.version ? await deps.articles.getRevision(id, version) : undefined;
  if (!revision) throw new NotFoundError(`Article ${id} has no version ${version}.`);
  return revision;
}
