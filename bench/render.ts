import type { Article } from '../shared/article/article.js';
import { renderArticlePage } from '../shared/render/article-page.js';
import type { SiteUrls } from '../shared/render/site-paths.js';
import { parseMarkdown } from '../shared/render/markdown.js';
import { STYLES } from '../shared/render/styles.js';
import { opsPerSecond } from './stats.js';

export interface RenderResult {
  articlesPerSecond: number;
  articlesPerSecondRange: [number, number];
  markdownParsePerSecond: number;
  templateLiteralPagesPerSecond: number;
  pageBytes: number;
  templateLiteralPageBytes: number;
}

const SITE: SiteUrls = { publicBaseUrl: 'https://news.example.com' };

/**
 * The floor for rendering: the same page built with one template literal, no Markdown, no escaping,
 * no Intl, from paragraphs split in advance. Nothing can render this article faster in JavaScript.
 */
function templateLiteralPage(article: Article, paragraphs: readonly string[]): string {
  const photo = article.leadImage;
  return `<!doctype html>
<html lang="${article.language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${article.headline} | Pressline</title>
<link rel="canonical" href="${SITE.publicBaseUrl}${article.path}">
<meta property="og:title" content="${article.headline}">
<meta property="og:url" content="${SITE.publicBaseUrl}${article.path}">
<meta property="og:image" content="${SITE.publicBaseUrl}/${photo?.renditions[0]?.key}">
<meta property="article:published_time" content="${article.publishedAt}">
<script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', headline: article.headline, datePublished: article.publishedAt, url: SITE.publicBaseUrl + article.path })}</script>
<style>${STYLES}</style>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site-header"><a href="/">Pressline</a></header>
<main id="content">
<article>
<h1>${article.headline}</h1>
<p class="meta"><span class="byline">${article.byline}</span> · <time datetime="${article.publishedAt}">${article.publishedAt}</time></p>
<figure>
<img src="${SITE.publicBaseUrl}/${photo?.renditions[0]?.key}" alt="${photo?.alt}" width="${photo?.width}" height="${photo?.height}">
<figcaption><span class="caption">${photo?.caption}</span> <span class="credit">${photo?.credit}</span></figcaption>
</figure>
${paragraphs.map((p) => (p.startsWith('## ') ? `<h2>${p.slice(3)}</h2>` : `<p>${p}</p>`)).join('\n')}
<ul class="tags">${article.tags.map((t) => `<li><a href="/tags/${t.toLowerCase()}/">${t}</a></li>`).join('')}</ul>
<p class="short-link">Short link: <a href="${SITE.publicBaseUrl}/s/${article.shortCode}">${SITE.publicBaseUrl}/s/${article.shortCode}</a></p>
</article>
</main>
<footer class="site-footer"><p>© Pressline</p></footer>
</body>
</html>
`;
}

/** Render throughput on this process's one thread: the article page, beside Markdown parsing alone and the template-literal floor. */
export function benchRender(article: Article): RenderResult {
  const paragraphs = article.body.split('\n\n');
  const page = renderArticlePage(article, SITE);
  const floor = templateLiteralPage(article, paragraphs);

  const render = opsPerSecond(() => renderArticlePage(article, SITE));
  const parse = opsPerSecond(() => parseMarkdown(article.body));
  const template = opsPerSecond(() => templateLiteralPage(article, paragraphs));
  return {
    articlesPerSecond: render.median,
    articlesPerSecondRange: [render.min, render.max],
    markdownParsePerSecond: parse.median,
    templateLiteralPagesPerSecond: template.median,
    pageBytes: Buffer.byteLength(page),
    templateLiteralPageBytes: Buffer.byteLength(floor),
  };
}
