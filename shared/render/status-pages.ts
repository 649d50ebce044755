import { SITE } from '../site.js';
import { html } from './html.js';
import { renderPage } from './layout.js';

/** 404: the page or short link never existed (or the address was mistyped). */
export function renderNotFoundPage(): string {
  return renderPage({
    title: `Page not found | ${SITE.name}`,
    language: SITE.language,
    direction: 'ltr',
    noindex: true,
    width: 'article',
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
    noindex: true,
    width: 'article',
    main: html`<h1>This article has been removed</h1>
<p>The newsroom has withdrawn this article. More news is on the <a href="/">front page</a>.</p>`,
  });
}

/** 503: the page could not be computed just now (storage unreachable); readers may retry. */
export function renderUnavailablePage(): string {
  return renderPage({
    title: `Temporarily unavailable | ${SITE.name}`,
    language: SITE.language,
    direction: 'ltr',
    noindex: true,
    width: 'article',
    main: html`<h1>This page is temporarily unavailable</h1>
<p>Something went wrong on our side. Try again in a moment, or go to the <a href="/">front page</a>.</p>`,
  });
}
