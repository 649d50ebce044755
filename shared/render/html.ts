import { escapingTemplate } from './escaping-template.js';

/**
 * A tagged template that escapes every interpolated value unless it is already `Html`.
 * Submitted text can therefore only reach a page as text: markup needs an explicit `unsafeHtml`,
 * used solely for output of the Markdown renderer (which has raw HTML disabled).
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * C0 and C1 controls (but tab, newline, carriage return), DEL, lone surrogates and noncharacters: not allowed
 * in HTML or XML text, so one stray byte in a headline would break the page and every feed.
 */
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripForbiddenCharacters(text: string): string {
  return text.replace(FORBIDDEN_CHARACTERS, '');
}

export function escapeHtml(text: string): string {
  return stripForbiddenCharacters(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export const html = escapingTemplate(Html, escapeHtml);

export function unsafeHtml(trusted: string): Html {
  return new Html(trusted);
}

/**
 * JSON for a `<script type="application/ld+json">` element: `<` is escaped so no value can close
 * the element, and U+2028/2029 so the text stays valid in every parser.
 */
export function jsonForScript(value: unknown): Html {
  return new Html(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}
