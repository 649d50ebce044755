import { SITE } from '../site.js';
import type { ArticleSummary } from '../storage/ports.js';
import { articleSitemapPath, articleUrl, NEWS_SITEMAP_PATH, type SiteUrls } from './site-paths.js';
import { xml, xmlDocument } from './xml.js';

/** The sitemaps.org protocol's limit on URLs in one sitemap; the monthly split keeps far below it. */
export const SITEMAP_MAX_URLS = 50_000;
/** Google News: only articles of the last two days, at most 1,000 of them. */
export const NEWS_SITEMAP_MAX_URLS = 1_000;
export const NEWS_SITEMAP_WINDOW_MS = 48 * 3600 * 1000;

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';

/** The index of every sitemap: the news sitemap and one article sitemap per month, newest first. */
export function renderSitemapIndex(months: string[], site: SiteUrls): string {
  const locations = [NEWS_SITEMAP_PATH, ...months.map(articleSitemapPath)];
  return xmlDocument(xml`<sitemapindex xmlns="${SITEMAP_NS}">
${locations.map((path) => xml`<sitemap><loc>${site.publicBaseUrl + path}</loc></sitemap>\n`)}</sitemapindex>`);
}

/** Every article published in one month, with its last change so crawlers revisit corrections. */
export function renderArticleSitemap(articles: ArticleSummary[], site: SiteUrls): string {
  return xmlDocument(xml`<urlset xmlns="${SITEMAP_NS}">
${articles.map((a) => xml`<url><loc>${articleUrl(a, site)}</loc><lastmod>${a.updatedAt}</lastmod></url>\n`)}</urlset>`);
}

/**
 * Google News wants an ISO 639 code of two or three letters, except for Chinese, where it tells
 * the scripts apart as `zh-cn` (simplified) and `zh-tw` (traditional).
 */
export function newsLanguage(language: string): string {
  const locale = new Intl.Locale(language);
  if (locale.language === 'zh') {
    const traditional = locale.script === 'Hant' || (!locale.script && ['TW', 'HK', 'MO'].includes(locale.region ?? ''));
    return traditional ? 'zh-tw' : 'zh-cn';
  }
  return locale.language;
}

/** The Google News sitemap: articles of the last 48 hours, newest first (the caller queries just those). */
export function renderNewsSitemap(articles: ArticleSummary[], site: SiteUrls): string {
  return xmlDocument(xml`<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">
${articles.map(
  (a) => xml`<url><loc>${articleUrl(a, site)}</loc><news:news><news:publication><news:name>${SITE.name}</news:name><news:language>${newsLanguage(a.language)}</news:language></news:publication><news:publication_date>${a.publishedAt}</news:publication_date><news:title>${a.headline}</news:title></news:news></url>\n`,
)}</urlset>`);
}
