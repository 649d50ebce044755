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
 * C0 and C1 controls (but tab, newline, carriage return), DEL, lone surrogates and noncharacters
 * (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE/U+FFFF to U+10FFFE/U+10FFFF):
 * not allowed in HTML or XML text, so one stray byte in a headline would break the page and every feed.
 * With the `u` flag a surrogate pair is one code point, so `[\uD800-\uDFFF]` only matches a lone half.
 */
const FORBIDDEN_CHARACTERS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF\uD800-\uDFFF\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/gu;

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
 * What `jsonForScript` writes as `\uXXXX` escapes rather than raw: `<`, `>` and `&`, so no value can
 * close the element or open a comment; U+2028/2029, so the text stays valid in every parser; DEL, the C1
 * controls and noncharacters (an astral one as its two escaped surrogates), which are HTML parse errors
 * in a script element's text. JSON.stringify already escapes C0 controls and lone surrogates.
 */
const SCRIPT_UNSAFE = /[<>&\u2028\u2029\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g;

const unicodeEscape = (text: string) => Array.from({ length: text.length }, (_, i) => `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

/**
 * JSON for a `<script type="application/ld+json">` element: still valid JSON that parses back to the
 * same value, but with every character that could end the element or be a parse error escaped.
 */
export function jsonForScript(value: unknown): Html {
  return new Html(JSON.stringify(value).replace(SCRIPT_UNSAFE, unicodeEscape));
}
