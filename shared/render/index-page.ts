import { textDirection } from '../article/article.js';
import { SITE } from '../site.js';
import type { ArticleSummary } from '../storage/ports.js';
import { formatDate } from './dates.js';
import { html, type Html } from './html.js';
import { renderPage } from './layout.js';
import { renderPicture } from './picture.js';
import { feedPath, listingPath, type Listing, type SiteUrls } from './site-paths.js';

/** One page of a listing, as the pages handler found it. */
export interface IndexPageContent {
  listing: Listing;
  /** What the page is about: "Latest news", "World", "Gaza", "AFP". */
  heading: string;
  /** Explains the page in search results and link previews. */
  description: string;
  page: number;
  hasNext: boolean;
  articles: ArticleSummary[];
}

/** Teasers: one column on a phone, two from 48rem, three from 64rem (of a 62rem-wide list). */
export const TEASER_PHOTO_SIZES = '(min-width: 64rem) 20rem, (min-width: 48rem) calc(50vw - 2rem), calc(100vw - 2rem)';

/** Teasers in the first row are on screen at once; the rest wait until the reader scrolls near. */
const EAGER_TEASERS = 3;

/** A teaser in its article's language; `lang`/`dir` change only where the article's differ from the page's. */
function teaser(article: ArticleSummary, position: number): Html {
  const foreign = article.language.toLowerCase().split('-')[0] !== SITE.language;
  const attributes = foreign ? html` lang="${article.language}" dir="${textDirection(article.language)}"` : '';
  return html`<li${attributes}><article>
${
  article.leadImage
    ? html`<a href="${article.path}" tabindex="-1" aria-hidden="true" class="thumb">${renderPicture(article.leadImage, { sizes: TEASER_PHOTO_SIZES, priority: position === 0 ? 'high' : position < EAGER_TEASERS ? 'auto' : 'lazy' })}</a>
`
    : ''
}<h2><a href="${article.path}">${article.headline}</a></h2>
${article.standfirst ? html`<p class="standfirst">${article.standfirst}</p>\n` : ''}<p class="meta">${article.byline ? html`<span class="byline" dir="auto">${article.byline}</span> · ` : ''}<time datetime="${article.publishedAt}">${formatDate(article.publishedAt, article.language)}</time></p>
</article></li>
`;
}

/** Home, section, tag and author pages: newest first, a page at a time, with links to newer and older pages. */
export function renderIndexPage(content: IndexPageContent, site: SiteUrls): string {
  const { listing, page, hasNext } = content;
  const previous = page > 1 ? listingPath(listing, page - 1) : undefined;
  const next = hasNext ? listingPath(listing, page + 1) : undefined;
  const heading = page > 1 ? `${content.heading}, page ${page}` : content.heading;
  const main = html`<h1>${heading}</h1>
${
  content.articles.length
    ? html`<ol class="teasers">
${content.articles.map((article, position) => teaser(article, position))}</ol>`
    : html`<p>No articles have been published yet.</p>`
}
${
  previous || next
    ? html`<nav class="pager" aria-label="More articles">${previous ? html`<a rel="prev" href="${previous}">Newer articles</a>` : ''}${
        next ? html`<a rel="next" href="${next}">Older articles</a>` : ''
      }</nav>`
    : ''
}`;
  return renderPage({
    title: listing.kind === 'home' && page === 1 ? `${SITE.name}: ${content.heading}` : `${heading} | ${SITE.name}`,
    language: SITE.language,
    direction: 'ltr',
    description: content.description,
    canonicalUrl: site.publicBaseUrl + listingPath(listing, page),
    feeds: { title: listing.kind === 'home' ? SITE.name : `${content.heading} | ${SITE.name}`, rss: feedPath(listing, 'rss'), atom: feedPath(listing, 'atom') },
    head: html`${previous ? html`<link rel="prev" href="${previous}">\n` : ''}${next ? html`<link rel="next" href="${next}">\n` : ''}`,
    width: 'index',
    main,
  });
}
