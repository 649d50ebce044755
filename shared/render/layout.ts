import { SITE } from '../site.js';
import { html, unsafeHtml, type Html } from './html.js';
import { siteWords } from './site-words.js';
import { STYLES } from './styles.js';

export interface PageShell {
  title: string;
  /** The page's content language: `lang` on `<html>`. */
  language: string;
  direction: 'ltr' | 'rtl';
  description?: string;
  canonicalUrl?: string;
  /** Feeds that carry what this page lists, advertised with `<link rel="alternate">`. */
  feeds?: { title: string; rss: string; atom: string };
  /** 404 and 410 pages, and deep index pages, stay out of search results. */
  noindex?: boolean;
  /** Extra elements for <head>: social meta, structured data, pagination links. */
  head?: Html;
  /** `article` reads best in one narrow column; `index` may use the width of a wide screen. */
  width: 'article' | 'index';
  main: Html;
}

/** True when the page's language is the site chrome's own (English), whatever the region. */
function isChromeLanguage(language: string): boolean {
  return language.toLowerCase().split('-')[0] === SITE.language;
}

/**
 * `lang="en"` for the site's English names (header, footer, section kicker) on a page whose content
 * is in another language, so a screen reader switches voice for them; nothing on English pages.
 * Words the site translates (site-words.ts) carry their own `lang`.
 */
export function chromeLang(pageLanguage: string): Html | '' {
  return isChromeLanguage(pageLanguage) ? '' : html` lang="${SITE.language}"`;
}

/** The document every page shares: one inline stylesheet, no script, a skip link, landmarks. */
export function renderPage(page: PageShell): string {
  // The header and footer hold names (the site's, RSS, Atom), which stay English on every page.
  const en = chromeLang(page.language);
  const skip = siteWords(page.language);
  return html`<!doctype html>
<html lang="${page.language}" dir="${page.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
${page.description ? html`<meta name="description" content="${page.description}">\n` : ''}${page.noindex ? html`<meta name="robots" content="noindex">\n` : ''}${
    page.canonicalUrl ? html`<link rel="canonical" href="${page.canonicalUrl}">\n` : ''
  }${
    page.feeds
      ? html`<link rel="alternate" type="application/rss+xml" title="${page.feeds.title} (RSS)" href="${page.feeds.rss}">
<link rel="alternate" type="application/atom+xml" title="${page.feeds.title} (Atom)" href="${page.feeds.atom}">\n`
      : ''
  }${page.head ?? ''}
<style>${unsafeHtml(STYLES)}</style>
</head>
<body>
<a class="skip" href="#content"${skip.lang}>${skip.words.skipToContent}</a>
<header class="site-header"${en}><a class="brand" href="/">${SITE.name}</a></header>
<main id="content" class="${page.width}">
${page.main}
</main>
<footer class="site-footer"${en}><p><span dir="ltr">© ${SITE.name}</span> · <a href="/feed.xml">RSS</a> · <a href="/atom.xml">Atom</a></p></footer>
</body>
</html>
`.value;
}
