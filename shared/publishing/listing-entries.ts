import type { Article } from '../article/article.js';
import { listingsOf, listNameOf } from '../article/listings.js';
import { recordedPersonId } from '../auth/api-key.js';
import { lists } from '../storage/table-layout.js';

/** The readers' listings of an article (home, section, author, tags), whatever its status. */
export function readerListingsFor(article: Pick<Article, 'section' | 'byline' | 'tags'>): string[] {
  return listingsOf(article).map(listNameOf);
}

/** The newsroom's listings of an article: all, by status, the owner's, the owner's by status. */
export function deskListingsFor(article: Pick<Article, 'status' | 'createdBy'>): string[] {
  const ownerId = recordedPersonId(article.createdBy);
  return [lists.desk({}), lists.desk({ status: article.status }), lists.desk({ ownerId }), lists.desk({ ownerId, status: article.status })];
}

/**
 * Every listing entry an article has, as its status decides: readers' listings only while it is
 * published, the schedule while it is scheduled, the newsroom's always.
 */
export function listingEntriesFor(article: Pick<Article, 'section' | 'byline' | 'tags' | 'status' | 'createdBy'>): string[] {
  return [
    ...(article.status === 'published' ? readerListingsFor(article) : []),
    ...(article.status === 'scheduled' ? [lists.schedule] : []),
    ...deskListingsFor(article),
  ];
}
