import { SITE } from '../site.js';
import { html } from './html.js';
import { renderPage } from './layout.js';

/** 404: the page or short link never existed (or the address was mistyped). */
export function renderNotFoundPage(): string {
  return renderPage({
    title: `Page not found | ${SITE.name}`,
    language: SITE.language,
    direction: 'ltr',
    main: html`<h1>Page not found</h1>
<p>There is no page at this address. Check the link for typing mistakes, or start again from the <a href="/">front page</a>.</p>`,
  });
}

/** 410: the article existed and was removed by the newsroom. */
export function renderGonePage(): string {
  return renderPage({
    title: `Article removed | ${SITE.name}`,
    language: SITE.language,
    direction: 'ltr',
    main: html`<h1>This article has been removed</h1>
<p>The newsroom has withdrawn this article. More news is on the <a href="/">front page</a>.</p>`,
  });
}
