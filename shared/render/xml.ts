import { escapingTemplate } from './escaping-template.js';
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

export const xml = escapingTemplate(Xml, escapeXml);

/** A whole XML document: declaration, then the root element. */
export function xmlDocument(root: Xml): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root.value}\n`;
}
