import { assertNever } from '../assert-never.js';
import type { Listing } from '../render/site-paths.js';
import { lists } from '../storage/table-layout.js';
import type { Article } from './article.js';
import { listingSlug } from './listing-slug.js';

/**
 * Every listing an article appears in: home, its section, its author, each tag. The one answer
 * publishing (which entries to write), the pages (which to read) and invalidation (which paths to
 * clear) all use.
 */
export function listingsOf(article: Pick<Article, 'section' | 'byline' | 'tags'>): Listing[] {
  const listings: Listing[] = [{ kind: 'home' }, { kind: 'section', section: article.section }];
  const author = article.byline ? listingSlug(article.byline) : '';
  if (author) listings.push({ kind: 'author', slug: author });
  for (const slug of new Set(article.tags.map(listingSlug))) if (slug) listings.push({ kind: 'tag', slug });
  return listings;
}

/** The storage name of a listing: the `listPk` its entries carry on the `byList` index. */
export function listNameOf(listing: Listing): string {
  switch (listing.kind) {
    case 'home':
      return lists.all;
    case 'section':
      return lists.section(listing.section);
    case 'tag':
      return lists.tag(listing.slug);
    case 'author':
      return lists.author(listing.slug);
    default:
      return assertNever(listing);
  }
}
