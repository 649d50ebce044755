import { SITE } from '../site.js';
import { html, unsafeHtml, type Html } from './html.js';
import { STYLES } from './styles.js';

export interface PageShell {
  title: string;
  language: string;
  direction: 'ltr' | 'rtl';
  description?: string;
  canonicalUrl?: string;
  /** Extra elements for <head>: social meta, structured data, feed links. */
  head?: Html;
  main: Html;
}

/** The document every page shares: one inline stylesheet, no script, a skip link, landmarks. */
export function renderPage(page: PageShell): string {
  return html`<!doctype html>
<html lang="${page.language}" dir="${page.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
${page.description ? html`<meta name="description" content="${page.description}">` : ''}
${page.canonicalUrl ? html`<link rel="canonical" href="${page.canonicalUrl}">` : ''}
${page.head}
<style>${unsafeHtml(STYLES)}</style>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site-header"><a href="/">${SITE.name}</a></header>
<main id="content">
${page.main}
</main>
<footer class="site-footer"><p>© ${SITE.name}</p></footer>
</body>
</html>
`.value;
}
