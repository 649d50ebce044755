import { listingSlug } from '../article/listing-slug.js';
import { textDirection, type Article } from '../article/article.js';
import { SITE } from '../site.js';
import { correctionData, correctionNotes } from './corrections.js';
import { formatDateTime } from './dates.js';
import { html, jsonForScript, stripForbiddenCharacters, unsafeHtml, type Html } from './html.js';
import { chromeLang, renderPage } from './layout.js';
import { renderMarkdown } from './markdown.js';
import { articleUrl, authorPath, feedPath, mediaUrl, sectionName, sectionPath, shortUrl, tagPath, type SiteUrls } from './site-paths.js';


function leadFigure(article: Article, site: SiteUrls): Html | '' {
  const photo = article.leadImage;
  if (!photo) return '';
  return html`<figure>
<img src="${mediaUrl(photo.key, site)}" alt="${photo.alt}" width="${photo.width}" height="${photo.height}" decoding="async" fetchpriority="high">
<figcaption><span class="caption">${photo.caption}</span> <span class="credit">${photo.credit}</span></figcaption>
</figure>`;
}

/** The byline links to the author's page whenever the byline names one (it always does once slugged). */
function byline(article: Article): Html | '' {
  if (!article.byline) return '';
  const slug = listingSlug(article.byline);
  return html`<span class="byline">${slug ? html`<a rel="author" href="${authorPath(article.byline)}">${article.byline}</a>` : article.byline}</span> `;
}

/**
 * schema.org NewsArticle, what search engines read for top stories. `image` is there only when
 * the article has a photo: inventing one would misdescribe the article.
 */
export function structuredData(article: Article, site: SiteUrls): Record<string, unknown> {
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
    ...(article.standfirst ? { description: article.standfirst } : {}),
    inLanguage: article.language,
    datePublished: article.publishedAt,
    dateModified: article.updatedAt,
    ...(article.leadImage
      ? {
          image: [
            {
              '@type': 'ImageObject',
              url: mediaUrl(article.leadImage.key, site),
              width: article.leadImage.width,
              height: article.leadImage.height,
              caption: article.leadImage.caption,
              creditText: article.leadImage.credit,
            },
          ],
        }
      : {}),
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
function socialMeta(article: Article, site: SiteUrls): Html {
  const photo = article.leadImage;
  const image = photo ? mediaUrl(photo.key, site) : undefined;
  return html`<meta property="og:type" content="article">
<meta property="og:site_name" content="${SITE.name}">
<meta property="og:title" content="${article.headline}">
${article.standfirst ? html`<meta property="og:description" content="${article.standfirst}">\n` : ''}<meta property="og:url" content="${articleUrl(article, site)}">
<meta property="og:locale" content="${article.language.replace('-', '_')}">
${
  image && photo
    ? html`<meta property="og:image" content="${image}">
<meta property="og:image:width" content="${photo.width}">
<meta property="og:image:height" content="${photo.height}">
<meta property="og:image:alt" content="${photo.alt}">\n`
    : ''
}<meta property="article:published_time" content="${article.publishedAt}">
<meta property="article:modified_time" content="${article.updatedAt}">
<meta property="article:section" content="${article.section}">
${article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">\n`)}<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${article.headline}">
${article.standfirst ? html`<meta name="twitter:description" content="${article.standfirst}">\n` : ''}${
    image && photo ? html`<meta name="twitter:image" content="${image}">\n<meta name="twitter:image:alt" content="${photo.alt}">\n` : ''
  }<script type="application/ld+json">${jsonForScript(structuredData(article, site))}</script>`;
}

/** The static page of one article, as uploaded to the site bucket at publish time. */
export function renderArticlePage(article: Article, site: SiteUrls): string {
  const link = shortUrl(article.shortCode, site);
  const updated = article.updatedAt !== article.publishedAt;
  const en = chromeLang(article.language);
  const section = { kind: 'section', section: article.section } as const;
  const main = html`<article>
<p class="kicker"${en}><a href="${sectionPath(article.section)}">${sectionName(article.section)}</a></p>
<h1>${article.headline}</h1>
${article.standfirst ? html`<p class="standfirst">${article.standfirst}</p>\n` : ''}<p class="meta">${byline(article)}<time datetime="${article.publishedAt}">${formatDateTime(article.publishedAt, article.language)}</time>${
    updated ? html` · <span${en}>Updated</span> <time datetime="${article.updatedAt}">${formatDateTime(article.updatedAt, article.language)}</time>` : ''
  }</p>
${leadFigure(article, site)}
${unsafeHtml(stripForbiddenCharacters(renderMarkdown(article.body)))}
${correctionNotes(article, en)}${article.tags.length ? html`<ul class="tags" aria-label="Tags">${article.tags.map((t) => (listingSlug(t) ? html`<li><a href="${tagPath(t)}" rel="tag">${t}</a></li>` : html`<li>${t}</li>`))}</ul>\n` : ''}<p class="short-link"${en}>Short link: <a href="${link}">${link}</a></p>
</article>`;
  return renderPage({
    title: `${article.headline} | ${SITE.name}`,
    language: article.language,
    direction: textDirection(article.language),
    description: article.standfirst,
    canonicalUrl: articleUrl(article, site),
    feeds: { title: `${sectionName(article.section)} | ${SITE.name}`, rss: feedPath(section, 'rss'), atom: feedPath(section, 'atom') },
    head: socialMeta(article, site),
    width: 'article',
    main,
  });
}
