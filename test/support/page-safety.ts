import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse, parseFragment, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** What a browser would find in a page that could run script or leave the site: empty when the page is safe. */
export interface HtmlInspection {
  /** The spec's parse errors (parse5 reports them as a browser's tokenizer meets them). */
  parseErrors: string[];
  problems: string[];
  /** The text of each `<script type="application/ld+json">`. */
  jsonLd: string[];
}

/** Attributes whose value a browser follows or loads as a URL. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'cite', 'background', 'longdesc', 'usemap', 'data', 'codebase', 'manifest', 'icon', 'ping', 'xlink:href', 'srcset', 'imagesrcset']);
/** Elements that can load or run something, or redirect: none belongs on Pressline's pages. */
const FORBIDDEN_ELEMENTS = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'form', 'portal']);

/**
 * True for a URL a browser would run or render as a document of its own: `javascript:`, `vbscript:`,
 * `data:`, however spelt. Browsers drop tabs and newlines anywhere in a URL and C0 controls and
 * spaces around it before reading the scheme, so this does too.
 */
export function isScriptingUrl(value: string): boolean {
  const cleaned = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  return /^(javascript|vbscript|data):/i.test(cleaned);
}

function urlsOf(name: string, value: string): string[] {
  if (name !== 'srcset' && name !== 'imagesrcset') return [value];
  return value
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

const textOf = (node: Node): string =>
  'value' in node && node.nodeName === '#text' ? node.value : 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';

function walk(node: Node, visit: (element: Element) => void): void {
  if ('tagName' in node) visit(node);
  if ('childNodes' in node) for (const child of node.childNodes) walk(child, visit);
  // A <template>'s children live in its content fragment, where a browser can still clone them into the page.
  if ('content' in node && node.content) walk(node.content, visit);
}

/** Parses `html` as a browser does (a whole document, or a fragment such as an RSS description) and lists what could run script. */
export function inspectHtml(html: string, options: { fragment?: boolean } = {}): HtmlInspection {
  const parseErrors: string[] = [];
  const onParseError = (error: { code: string; startOffset: number }) => parseErrors.push(`${error.code} at ${error.startOffset}: ${JSON.stringify(html.slice(Math.max(0, error.startOffset - 20), error.startOffset + 20))}`);
  const root = options.fragment ? parseFragment(html, { onParseError }) : parse(html, { onParseError });
  const problems: string[] = [];
  const jsonLd: string[] = [];
  walk(root, (element) => {
    const tag = element.tagName.toLowerCase();
    const attribute = (name: string) => element.attrs.find((a) => a.name.toLowerCase() === name)?.value;
    if (tag === 'script') {
      if (attribute('type') === 'application/ld+json' && !attribute('src')) jsonLd.push(textOf(element));
      else problems.push(`a <script> element: ${JSON.stringify(element.attrs)}`);
    }
    if (FORBIDDEN_ELEMENTS.has(tag)) problems.push(`a <${tag}> element`);
    if (tag === 'meta' && /refresh/i.test(attribute('http-equiv') ?? '')) problems.push('a <meta http-equiv="refresh">');
    for (const { name, value, prefix } of element.attrs) {
      const qualified = (prefix ? `${prefix}:${name}` : name).toLowerCase();
      if (qualified.startsWith('on')) problems.push(`an event-handler attribute ${qualified} on <${tag}>`);
      if (URL_ATTRIBUTES.has(qualified)) for (const url of urlsOf(qualified, value)) if (isScriptingUrl(url)) problems.push(`a scripting URL in ${qualified} on <${tag}>: ${value.slice(0, 80)}`);
      if (qualified === 'style' && /javascript:|expression\s*\(|url\s*\(/i.test(value)) problems.push(`a style attribute that loads something on <${tag}>`);
    }
  });
  return { parseErrors, problems, jsonLd };
}

/** XML 1.0's Char production: anything else makes a document that no conforming parser reads. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: false, processEntities: true, htmlEntities: false });

export interface XmlInspection {
  /** Why the document is not well-formed XML; empty when it is. */
  parseErrors: string[];
  problems: string[];
  document: unknown;
}

/** Elements of feeds and sitemaps whose text a reader follows as a URL. */
const URL_ELEMENTS = new Set(['link', 'guid', 'loc', 'id', 'uri', 'icon', 'logo']);
/** Elements whose text feed readers show as HTML (RSS `description`, Atom content of type html). */
const HTML_ELEMENTS = new Set(['description', 'content:encoded']);

/** Checks a feed or sitemap: well-formed XML, no scripting URL, and any HTML it carries (an RSS description) safe as HTML. */
export function inspectXml(xml: string): XmlInspection {
  const parseErrors: string[] = [];
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) parseErrors.push(`U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML, at ${bad.index}`);
  const validation = XMLValidator.validate(xml);
  if (validation !== true) parseErrors.push(`${validation.err.code}: ${validation.err.msg} (line ${validation.err.line})`);
  if (parseErrors.length) return { parseErrors, problems: [], document: undefined };
  const document: unknown = xmlParser.parse(xml);
  const problems: string[] = [];
  const visit = (value: unknown, name: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v, name));
    if (typeof value === 'string') {
      if (URL_ELEMENTS.has(name) && isScriptingUrl(value)) problems.push(`a scripting URL in <${name}>: ${value.slice(0, 80)}`);
      if (HTML_ELEMENTS.has(name)) for (const p of inspectHtml(value, { fragment: true }).problems) problems.push(`in <${name}> as HTML: ${p}`);
      if (name === '@href' && isScriptingUrl(value)) problems.push(`a scripting URL in href: ${value.slice(0, 80)}`);
      return;
    }
    if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) visit(child, key === '#text' ? name : key);
    }
  };
  visit(document, '');
  return { parseErrors, problems, document };
}
