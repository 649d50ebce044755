import { SITE } from '../site.js';
import type { ArticleSummary } from '../storage/ports.js';
import { escapeHtml } from './html.js';
import { articleUrl, feedPath, listingPath, type Listing, type SiteUrls } from './site-paths.js';
import { xml, xmlDocument } from './xml.js';

/**
 * RSS 2.0 and Atom 1.0, written with the escaping `xml` template rather than the `feed` package:
 * `feed` puts a byline's name in RSS `<author>` (which RSS defines as an e-mail address; the
 * convention is `dc:creator`) and marks Atom titles `type="html"`, so a plain-text headline such as
 * "Q&A: <the deal>" would be read as markup. Sitemaps use the same template, so one escaper serves both.
 * RSS gives no type to a `<description>`, and readers show the channel's as HTML just as an item's: both
 * are escaped as HTML (the channel's carries a tag or byline as written) before the XML escaping.
 */
export interface FeedContent {
  listing: Listing;
  /** "Pressline", "World | Pressline". */
  title: string;
  description: string;
  articles: ArticleSummary[];
}

const firstLanguage = (language: string) => language.toLowerCase().split('-')[0];

/** RFC 822 dates, as RSS 2.0 requires: "Sun, 07 Apr 2024 09:30:00 GMT". */
const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** The newest `updatedAt` of the entries: when the feed last changed. */
function lastChange(articles: ArticleSummary[], fallback: string): string {
  return articles.reduce((latest, a) => (a.updatedAt > latest ? a.updatedAt : latest), articles[0]?.updatedAt ?? fallback);
}

/** The standfirst, and the latest correction note, so a feed reader sees that the article was corrected. */
function feedSummary(a: ArticleSummary): string | undefined {
  const parts = [a.standfirst, a.correction ? `Correction: ${a.correction}` : undefined].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An Atom entry's permanent id: its UUID, which survives a change of the site's domain; else its URL. */
const entryId = (a: ArticleSummary, site: SiteUrls) => (UUID.test(a.id) ? `urn:uuid:${a.id.toLowerCase()}` : articleUrl(a, site));

export function renderRssFeed(content: FeedContent, site: SiteUrls, now: Date): string {
  const { listing, articles } = content;
  return xmlDocument(xml`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${content.title}</title>
<link>${site.publicBaseUrl + listingPath(listing)}</link>
<description>${escapeHtml(content.description)}</description>
<language>${SITE.language}</language>
<lastBuildDate>${rfc822(lastChange(articles, now.toISOString()))}</lastBuildDate>
<atom:link href="${site.publicBaseUrl + feedPath(listing, 'rss')}" rel="self" type="application/rss+xml"/>
${articles.map(
  (a) => xml`<item>
<title>${a.headline}</title>
<link>${articleUrl(a, site)}</link>
<guid isPermaLink="true">${articleUrl(a, site)}</guid>
<pubDate>${rfc822(a.publishedAt)}</pubDate>
${feedSummary(a) ? xml`<description>${escapeHtml(feedSummary(a) ?? '')}</description>\n` : ''}${a.byline ? xml`<dc:creator>${a.byline}</dc:creator>\n` : ''}${a.tags.map((t) => xml`<category>${t}</category>\n`)}</item>
`,
)}</channel>
</rss>`);
}

export function renderAtomFeed(content: FeedContent, site: SiteUrls, now: Date): string {
  const { listing, articles } = content;
  return xmlDocument(xml`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${SITE.language}">
<id>${site.publicBaseUrl + listingPath(listing)}</id>
<title type="text">${content.title}</title>
<subtitle type="text">${content.description}</subtitle>
<updated>${lastChange(articles, now.toISOString())}</updated>
<link rel="alternate" type="text/html" href="${site.publicBaseUrl + listingPath(listing)}"/>
<link rel="self" type="application/atom+xml" href="${site.publicBaseUrl + feedPath(listing, 'atom')}"/>
<author><name>${SITE.name}</name></author>
${articles.map(
  (a) => xml`<entry${firstLanguage(a.language) === SITE.language ? '' : xml` xml:lang="${a.language}"`}>
<id>${entryId(a, site)}</id>
<title type="text">${a.headline}</title>
<link rel="alternate" type="text/html" href="${articleUrl(a, site)}"/>
<published>${a.publishedAt}</published>
<updated>${a.updatedAt}</updated>
${a.byline ? xml`<author><name>${a.byline}</name></author>\n` : ''}${feedSummary(a) ? xml`<summary type="text">${feedSummary(a) ?? ''}</summary>\n` : ''}${a.tags.map((t) => xml`<category term="${t}"/>\n`)}</entry>
`,
)}</feed>`);
}
