import type { Article } from '../article/article.js';
import { formatDateTime } from './dates.js';
import { html, type Html } from './html.js';

/** The dated correction notes under an article, oldest first, in a labelled region. */
export function correctionNotes(article: Pick<Article, 'corrections' | 'language'>, chromeLang: Html | ''): Html | '' {
  const corrections = article.corrections ?? [];
  if (!corrections.length) return '';
  return html`<aside class="corrections" aria-labelledby="corrections"${chromeLang}>
<h2 id="corrections">${corrections.length === 1 ? 'Correction' : 'Corrections'}</h2>
<ul>${corrections.map((c) => html`<li><time datetime="${c.at}">${formatDateTime(c.at, article.language)}</time>: <span lang="${article.language}">${c.note}</span></li>`)}</ul>
</aside>
`;
}

/** schema.org `correction` of a NewsArticle: each note as a CorrectionComment with its date. */
export function correctionData(article: Pick<Article, 'corrections'>): Record<string, unknown> {
  const corrections = article.corrections ?? [];
  return corrections.length ? { correction: corrections.map((c) => ({ '@type': 'CorrectionComment', text: c.note, datePublished: c.at })) } : {};
}
