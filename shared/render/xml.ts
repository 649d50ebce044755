import { stripForbiddenCharacters } from './html.js';

/**
 * The XML twin of `html`: a tagged template that escapes every interpolated value unless it is
 * already `Xml`, for feeds and sitemaps. A separate class keeps HTML fragments out of XML documents
 * by type: an HTML snippet must be turned into text (`escapeHtml`) before it can go in.
 */
export class Xml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return stripForbiddenCharacters(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Interpolation = Xml | string | number | null | undefined | false | readonly Interpolation[];

function renderValue(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Xml) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  return escapeXml(String(value));
}

export function xml(strings: TemplateStringsArray, ...values: Interpolation[]): Xml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += renderValue(values[i]!) + (strings[i + 1] ?? '');
  return new Xml(out);
}

/** A whole XML document: declaration, then the root element. */
export function xmlDocument(root: Xml): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root.value}\n`;
}
