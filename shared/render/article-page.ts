import { listingSlug } from '../article/listing-slug.js';
import { textDirection, type Article, type StoredPhoto } from '../article/article.js';
import { SITE } from '../site.js';
import { correctionData, correctionNotes } from './corrections.js';
import { formatDateTime } from './dates.js';
import { articleDescription } from './description.js';
import { html, jsonForScript, stripForbiddenCharacters, unsafeHtml, type Html } from './html.js';
import { chromeLang, renderPage } from './layout.js';
import { renderMarkdown } from './markdown.js';
import { renderPicture, renditionNear } from './picture.js';
import { articleUrl, authorPath, feedPath, mediaUrl, sectionName, sectionPath, shortUrl, tagPath, type SiteUrls } from './site-paths.js';
import { siteWords } from './site-words.js';


/** The article column: at most 40rem of text, less the page's 1rem margins on a narrow screen. */
export const ARTICLE_PHOTO_SIZES = '(min-width: 42rem) 40rem, calc(100vw - 2rem)';

function leadFigure(article: Article): Html | '' {
  const photo = article.leadImage;
  if (!photo) return '';
  return html`<figure>
${renderPicture(photo, { sizes: ARTICLE_PHOTO_SIZES, priority: 'high' })}
<figcaption><span class="caption" dir="auto">${photo.caption}</span> <span class="credit" dir="auto">${photo.credit}</span></figcaption>
</figure>`;
}

/** Link previews (Open Graph, Twitter) are made from a 1200-pixel JPEG, the size they ask for. */
const SOCIAL_IMAGE_WIDTH = 1200;

/**
 * The photo for search engines: the 16:9, 4:3 and 1:1 crops Google asks of a news article's image,
 * or the 1200-pixel JPEG when there are none.
 */
function structuredImages(photo: StoredPhoto, site: SiteUrls): Array<Record<string, unknown>> {
  const about = { caption: photo.caption, creditText: photo.credit };
  const crops = photo.crops.map((crop) => ({ '@type': 'ImageObject', url: mediaUrl(crop.key, site), width: crop.width, height: crop.height, ...about }));
  const jpeg = renditionNear(photo.renditions, 'jpeg', SOCIAL_IMAGE_WIDTH);
  return crops.length || !jpeg ? crops : [{ '@type': 'ImageObject', url: mediaUrl(jpeg.key, site), width: jpeg.width, height: jpeg.height, ...about }];
}

/**
 * The byline links to the author's page whenever the byline names one (it always does once slugged).
 * Like the caption and the credit, it is isolated (`dir="auto"`): its direction comes from its own
 * letters, and nothing in it can reorder the date printed after it.
 */
function byline(article: Article): Html | '' {
  if (!article.byline) return '';
  const slug = listingSlug(article.byline);
  return html`<span class="byline" dir="auto">${slug ? html`<a rel="author" href="${authorPath(article.byline)}">${article.byline}</a>` : article.byline}</span> `;
}

/**
 * schema.org NewsArticle, what search engines read for top stories. `image` is there only when
 * the article has a photo: inventing one would misdescribe the article.
 */
export function structuredData(article: Article, site: SiteUrls, description = articleDescription(article)): Record<string, unknown> {
  const url = articleUrl(article, site);
  const author =
    article.byline && listingSlug(article.byline)
      ? { '@type': 'Person', name: article.byline, url: site.publicBaseUrl + authorPath(article.byline) }
      : article.byline
        ? { '@type': 'Person', name: article.byline }
        : { '@type': 'Organization', name: SITE.name, url: site.publicBaseUrl + '/' };
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.headline,
    ...(description ? { description } : {}),
    inLanguage: article.language,
    datePublished: article.publishedAt,
    dateModified: article.updatedAt,
    ...(article.leadImage ? { image: structuredImages(article.leadImage, site) } : {}),
    author: [author],
    publisher: { '@type': 'NewsMediaOrganization', name: SITE.name, url: site.publicBaseUrl + '/' },
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    articleSection: article.section,
    ...(article.tags.length ? { keywords: article.tags } : {}),
    isAccessibleForFree: true,
    ...correctionData(article),
    url,
  };
}

/** Open Graph and Twitter card: what a share shows. Then the structured data. */
function socialMeta(article: Article, site: SiteUrls, description: string | undefined): Html {
  const photo = article.leadImage;
  const preview = photo ? renditionNear(photo.renditions, 'jpeg', SOCIAL_IMAGE_WIDTH) : undefined;
  const image = preview ? mediaUrl(preview.key, site) : undefined;
  return html`<meta property="og:type" content="article">
<meta property="og:site_name" content="${SITE.name}">
<meta property="og:title" content="${article.headline}">
${description ? html`<meta property="og:description" content="${description}">\n` : ''}<meta property="og:url" content="${articleUrl(article, site)}">
<meta property="og:locale" content="${article.language.replace('-', '_')}">
${
  image && photo && preview
    ? html`<meta property="og:image" content="${image}">
<meta property="og:image:width" content="${preview.width}">
<meta property="og:image:height" content="${preview.height}">
<meta property="og:image:alt" content="${photo.alt}">\n`
    : ''
}<meta property="article:published_time" content="${article.publishedAt}">
<meta property="article:modified_time" content="${article.updatedAt}">
<meta property="article:section" content="${article.section}">
${article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">\n`)}<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${article.headline}">
${description ? html`<meta name="twitter:description" content="${description}">\n` : ''}${
    image && photo ? html`<meta name="twitter:image" content="${image}">\n<meta name="twitter:image:alt" content="${photo.alt}">\n` : ''
  }<script type="application/ld+json">${jsonForScript(structuredData(article, site, description))}</script>`;
}

/** The static page of one article, as uploaded to the site bucket at publish time. */
export function renderArticlePage(article: Article, site: SiteUrls): string {
  const link = shortUrl(article.shortCode, site);
  const updated = article.updatedAt !== article.publishedAt;
  const en = chromeLang(article.language);
  const { words, lang } = siteWords(article.language);
  const description = articleDescription(article);
  const section = { kind: 'section', section: article.section } as const;
  const main = html`<article>
<p class="kicker"${en}><a href="${sectionPath(article.section)}">${sectionName(article.section)}</a></p>
<h1>${article.headline}</h1>
${article.standfirst ? html`<p class="standfirst">${article.standfirst}</p>\n` : ''}<p class="meta">${byline(article)}<time datetime="${article.publishedAt}">${formatDateTime(article.publishedAt, article.language)}</time>${
    updated ? html` · <span${lang}>${words.updated}</span> <time datetime="${article.updatedAt}">${formatDateTime(article.updatedAt, article.language)}</time>` : ''
  }</p>
${leadFigure(article)}
${unsafeHtml(stripForbiddenCharacters(renderMarkdown(article.body)))}
${correctionNotes(article, lang)}${article.tags.length ? html`<ul class="tags" aria-label="${words.tags}">${article.tags.map((t) => (listingSlug(t) ? html`<li><a href="${tagPath(t)}" rel="tag">${t}</a></li>` : html`<li>${t}</li>`))}</ul>\n` : ''}<p class="short-link"${lang}>${words.shortLink} <a href="${link}">${link}</a></p>
</article>`;
  return renderPage({
    title: `${article.headline} | ${SITE.name}`,
    language: article.language,
    direction: textDirection(article.language),
    description,
    canonicalUrl: articleUrl(article, site),
    feeds: { title: `${sectionName(article.section)} | ${SITE.name}`, rss: feedPath(section, 'rss'), atom: feedPath(section, 'atom') },
    head: socialMeta(article, site, description),
    width: 'article',
    main,
  });
}
