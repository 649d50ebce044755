import { textDirection, type Article } from '../article/article.js';
import { SITE } from '../site.js';
import { html, jsonForScript, unsafeHtml, type Html } from './html.js';
import { renderPage } from './layout.js';
import { renderMarkdown } from './markdown.js';
import { slugify } from '../article/slug.js';

export interface SiteUrls {
  /** Origin readers use, no trailing slash. */
  publicBaseUrl: string;
}

export const articleUrl = (article: Pick<Article, 'path'>, site: SiteUrls) => site.publicBaseUrl + article.path;
export const shortUrl = (code: string, site: SiteUrls) => `${site.publicBaseUrl}/s/${code}`;
export const mediaUrl = (key: string, site: SiteUrls) => `${site.publicBaseUrl}/${key}`;
export const tagPath = (tag: string) => `/tags/${slugify(tag) || encodeURIComponent(tag.toLowerCase())}/`;

function formatDate(iso: string, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';
  } catch {
    return iso;
  }
}

function leadFigure(article: Article, site: SiteUrls): Html | '' {
  const photo = article.leadImage;
  if (!photo) return '';
  return html`<figure>
<img src="${mediaUrl(photo.key, site)}" alt="${photo.alt}" width="${photo.width}" height="${photo.height}" decoding="async" fetchpriority="high">
<figcaption><span class="caption">${photo.caption}</span> <span class="credit">${photo.credit}</span></figcaption>
</figure>`;
}

function structuredData(article: Article, site: SiteUrls): Html {
  const url = articleUrl(article, site);
  return jsonForScript({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.headline,
    ...(article.standfirst ? { description: article.standfirst } : {}),
    inLanguage: article.language,
    datePublished: article.publishedAt,
    dateModified: article.updatedAt,
    ...(article.leadImage ? { image: [mediaUrl(article.leadImage.key, site)] } : {}),
    author: article.byline ? [{ '@type': 'Person', name: article.byline }] : [{ '@type': 'Organization', name: SITE.name }],
    publisher: { '@type': 'Organization', name: SITE.name, url: site.publicBaseUrl + '/' },
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    articleSection: article.section,
    ...(article.tags.length ? { keywords: article.tags } : {}),
    url,
  });
}

function socialMeta(article: Article, site: SiteUrls): Html {
  const image = article.leadImage ? mediaUrl(article.leadImage.key, site) : undefined;
  return html`<meta property="og:type" content="article">
<meta property="og:site_name" content="${SITE.name}">
<meta property="og:title" content="${article.headline}">
${article.standfirst ? html`<meta property="og:description" content="${article.standfirst}">` : ''}
<meta property="og:url" content="${articleUrl(article, site)}">
<meta property="og:locale" content="${article.language.replace('-', '_')}">
${image ? html`<meta property="og:image" content="${image}">
<meta property="og:image:alt" content="${article.leadImage?.alt}">` : ''}
<meta property="article:published_time" content="${article.publishedAt}">
<meta property="article:modified_time" content="${article.updatedAt}">
<meta property="article:section" content="${article.section}">
<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${article.headline}">
<script type="application/ld+json">${structuredData(article, site)}</script>`;
}

/** The static page of one article, as uploaded to the site bucket at publish time. */
export function renderArticlePage(article: Article, site: SiteUrls): string {
  const link = shortUrl(article.shortCode, site);
  const updated = article.updatedAt !== article.publishedAt;
  const main = html`<article>
<h1>${article.headline}</h1>
${article.standfirst ? html`<p class="standfirst">${article.standfirst}</p>` : ''}
<p class="meta">${article.byline ? html`<span class="byline">${article.byline}</span> · ` : ''}<time datetime="${article.publishedAt}">${formatDate(article.publishedAt, article.language)}</time>${
    updated ? html` · Updated <time datetime="${article.updatedAt}">${formatDate(article.updatedAt, article.language)}</time>` : ''
  }</p>
${leadFigure(article, site)}
${unsafeHtml(renderMarkdown(article.body))}
${article.tags.length ? html`<ul class="tags" aria-label="Tags">${article.tags.map((t) => html`<li><a href="${tagPath(t)}" rel="tag">${t}</a></li>`)}</ul>` : ''}
<p class="short-link">Short link: <a href="${link}">${link}</a></p>
</article>`;
  return renderPage({
    title: `${article.headline} | ${SITE.name}`,
    language: article.language,
    direction: textDirection(article.language),
    description: article.standfirst,
    canonicalUrl: articleUrl(article, site),
    head: socialMeta(article, site),
    main,
  });
}
