import type { Token } from 'markdown-it';
import type { Article } from '../article/article.js';
import { markdownTokens } from './markdown.js';

/** About what search results and link previews show before they cut the text themselves. */
export const DESCRIPTION_MAX_CHARACTERS = 160;

const segmenters = new Map<string, Intl.Segmenter>();

/** A segmenter for the article's language; an invalid or unknown tag falls back to English rules. */
function segmenter(language: string, granularity: 'word' | 'grapheme'): Intl.Segmenter {
  const key = `${language}|${granularity}`;
  let found = segmenters.get(key);
  if (!found) {
    try {
      found = new Intl.Segmenter(language, { granularity });
    } catch {
      found = new Intl.Segmenter('en', { granularity });
    }
    segmenters.set(key, found);
  }
  return found;
}

/** The text a reader sees in one inline token: links and emphasis keep their words, line breaks become spaces. */
function plainText(inline: Token): string {
  const parts = (inline.children ?? []).map((child) => {
    if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
    return child.type === 'text' || child.type === 'code_inline' ? child.content : '';
  });
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/**
 * The first paragraph of the body as plain text. A paragraph at the top level is preferred: a body
 * that opens with a quotation or a list describes itself better by the prose after it. Headings are
 * never paragraphs, so they are skipped by construction.
 */
export function firstParagraphText(markdown: string): string | undefined {
  const tokens = markdownTokens(markdown);
  let nested: string | undefined;
  for (let i = 0; i < tokens.length - 1; i++) {
    const open = tokens[i]!;
    const inline = tokens[i + 1]!;
    if (open.type !== 'paragraph_open' || inline.type !== 'inline') continue;
    const text = plainText(inline);
    if (!text) continue;
    if (open.level === 0) return text;
    nested ??= text;
  }
  return nested;
}

/**
 * Shortens text to at most `max` characters, ellipsis included, ending on a whole word. Words are
 * found by `Intl.Segmenter` in the text's language, so scripts written without spaces (Thai,
 * Chinese, Japanese) are cut between words too; a single word longer than the limit is cut between
 * characters.
 */
export function shortenAtWord(text: string, language: string, max = DESCRIPTION_MAX_CHARACTERS): string {
  if (text.length <= max) return text;
  const limit = max - 1;
  let end = 0;
  for (const { segment, index, isWordLike } of segmenter(language, 'word').segment(text)) {
    if (index + segment.length > limit) break;
    if (isWordLike) end = index + segment.length;
  }
  if (end === 0) {
    // One word longer than the limit: cut between user-perceived characters, never inside one.
    for (const { segment, index } of segmenter(language, 'grapheme').segment(text)) {
      if (index + segment.length > limit) break;
      end = index + segment.length;
    }
  }
  return `${text.slice(0, end)}…`;
}

/**
 * What a page's meta description, link previews and JSON-LD say the article is: the standfirst
 * the newsroom wrote, else the opening of the body. Undefined only for a body with no paragraph.
 */
export function articleDescription(article: Pick<Article, 'standfirst' | 'body' | 'language'>): string | undefined {
  if (article.standfirst) return article.standfirst;
  const opening = firstParagraphText(article.body);
  return opening ? shortenAtWord(opening, article.language) : undefined;
}
