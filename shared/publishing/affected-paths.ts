import type { Article } from '../article/article.js';
import { listingSlug } from '../article/listing-slug.js';

/**
 * The CDN paths whose cached copies show an article: its page, its short link, its photo, and every
 * listing, feed and sitemap it appears in. CloudFront's viewer function serves `/x/` from
 * `/x/index.html`, so both forms are named; a listing's trailing `*` also covers its `page/N/` pages and its feeds.
 */
export function pathsShowing(article: Pick<Article, 'id' | 'path' | 'shortCode' | 'section' | 'byline' | 'tags'>): string[] {
  const listings = ['/', `/${article.section}/`];
  const author = article.byline ? listingSlug(article.byline) : '';
  if (author) listings.push(`/authors/${encodeURIComponent(author)}/`);
  for (const tag of article.tags) {
    const slug = listingSlug(tag);
    if (slug) listings.push(`/tags/${encodeURIComponent(slug)}/`);
  }
  return [
    article.path,
    `${article.path}index.html`,
    `/s/${article.shortCode}`,
    `/media/${article.id}/*`,
    ...listings.flatMap((path) => [`${path}*`]),
    '/feed.xml',
    '/atom.xml',
    '/sitemap*',
    '/news-sitemap.xml',
  ];
}
