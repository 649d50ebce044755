import type { Article, Change, ChangeKind } from '../article/article.js';
import type { Principal } from '../auth/api-key.js';
import type { ArticleStore } from '../storage/ports.js';
import { listingsFor } from './publish-article.js';

/** The record of who made version `version`, when, and how. */
export function changeOf(version: number, by: Principal, at: string, kind: ChangeKind, extra: { fromStatus?: Article['status']; note?: string } = {}): Change {
  return { version, by: { personId: by.personId, keyId: by.keyId, name: by.name, role: by.role }, at, kind, ...extra };
}

/**
 * The commit point of every change: keeps the current version as a revision first (so no version
 * is ever lost, whatever happens next), then replaces the article if nobody changed it since, and
 * moves its listing entries as its status decides. False on a lost race.
 */
export async function commitChange(articles: ArticleStore, current: Article, next: Article): Promise<boolean> {
  await articles.archiveRevision(current);
  return articles.replaceArticle(next, current.version, { remove: listingsFor(current), put: listingsFor(next) });
}
