import MarkdownIt, { type Token } from 'markdown-it';

/**
 * The body's Markdown: CommonMark with tables and strikethrough; raw HTML is off, so `<script>`
 * and `<img onerror>` come out as visible text, and markdown-it's link validator drops
 * `javascript:`, `vbscript:`, `file:` and `data:` URLs. Images are off too: photos come with the
 * submission (with caption and credit), never hot-linked from another site.
 */
const markdown = new MarkdownIt('default', { html: false, linkify: false, typographer: false }).disable(['image']);

// The page's headline is its one <h1>; body headings start at <h2>.
markdown.renderer.rules.heading_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  const level = Math.min(6, Math.max(2, Number(token.tag.slice(1)) + (token.tag === 'h1' ? 1 : 0)));
  token.tag = `h${level}`;
  return self.renderToken(tokens, idx, options);
};
markdown.renderer.rules.heading_close = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.tag = tokens[idx - 2]?.tag ?? token.tag;
  return self.renderToken(tokens, idx, options);
};

// Links out of the newsroom: no referrer leak of unpublished paths, no window.opener, no SEO vote.
markdown.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  const href = String(token.attrGet('href') ?? '');
  if (/^https?:\/\//i.test(href)) token.attrSet('rel', 'nofollow noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

/** The body's block and inline tokens, parsed exactly as the page renders them, for reading text out of the body. */
export function markdownTokens(source: string): Token[] {
  return markdown.parse(source, {});
}

/** Markdown parse alone, without rendering: the benchmark's baseline. */
export function parseMarkdown(source: string): number {
  return markdown.parse(source, {}).length;
}
