/**
 * Turns plain-text wire copy into the parts of a submission, as a list of small pure steps:
 * the first line is the lead photo's caption with the agency credit glued on ("…Gaza Strip.AFP"),
 * short unpunctuated lines are subheadings, and the "Short link:" footer is dropped (the
 * publisher adds its own).
 */

import { assertNever } from '../assert-never.js';

export interface WireCopy {
  caption?: { text: string; credit?: string };
  /** Markdown: paragraphs separated by blank lines, subheadings as `## `. */
  body: string;
}

type Block = { kind: 'paragraph'; text: string } | { kind: 'subheading'; text: string } | { kind: 'footer'; text: string };

const KNOWN_CREDITS = ['AFP', 'AP', 'Reuters', 'Getty Images', 'EPA', 'AFP/Getty Images', 'Anadolu', 'Xinhua', 'PA', 'Bloomberg'];

/** Splits "…Gaza Strip.AFP" into caption and credit; a caption without a glued credit is kept whole. */
export function splitCaptionCredit(line: string): { text: string; credit?: string } {
  const trimmed = line.trim();
  for (const credit of [...KNOWN_CREDITS].sort((a, b) => b.length - a.length)) {
    const escaped = credit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const match = new RegExp(`^(.*?[.!?"”')])\\s*(?:Photo:\\s*)?${escaped}$`).exec(trimmed);
    if (match) return { text: match[1]!.trim(), credit };
  }
  // Any capitalised token glued straight after the caption's final full stop, e.g. "…Strip.SANA".
  const glued = /^(.*[.!?])([A-Z][A-Za-z/ ]{1,40})$/.exec(trimmed);
  if (glued && !/\s{2,}/.test(glued[2]!)) return { text: glued[1]!.trim(), credit: glued[2]!.trim() };
  return { text: trimmed };
}

/** A subheading is a short line with no closing punctuation and no quotation. */
export function isSubheading(line: string): boolean {
  const text = line.trim();
  return text.length > 0 && text.length <= 60 && text.split(/\s+/).length <= 8 && !/[.!?:;,"“”'’)]$/.test(text) && !/["“”]/.test(text);
}

const toBlocks = (lines: string[]): Block[] =>
  lines.map((text) => (/^short link:?/i.test(text) ? { kind: 'footer', text } : isSubheading(text) ? { kind: 'subheading', text } : { kind: 'paragraph', text }));

const dropFooters = (blocks: Block[]): Block[] => blocks.filter((b) => b.kind !== 'footer');

/** A "subheading" with nothing after it, or two in a row, is ordinary text, not a section title. */
const demoteStraySubheadings = (blocks: Block[]): Block[] =>
  blocks.map((block, i) => (block.kind === 'subheading' && blocks[i + 1]?.kind !== 'paragraph' ? { kind: 'paragraph', text: block.text } : block));

/** Markdown characters in wire text are literal: escape the ones that would change meaning at a line start. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>])/g, '\\$1').replace(/^(#{1,6}\s|[-+]\s|\d+[.)]\s|>)/, '\\$1');
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return escapeMarkdown(block.text);
    case 'subheading':
      return `## ${escapeMarkdown(block.text)}`;
    case 'footer':
      return '';
    default:
      return assertNever(block);
  }
}

export function importWireCopy(text: string, options: { firstLineIsCaption?: boolean } = {}): WireCopy {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const captionLine = options.firstLineIsCaption === false ? undefined : lines.shift();
  const steps = [dropFooters, demoteStraySubheadings];
  const blocks = steps.reduce((acc, step) => step(acc), toBlocks(lines));
  return {
    ...(captionLine ? { caption: splitCaptionCredit(captionLine) } : {}),
    body: blocks.map(renderBlock).join('\n\n'),
  };
}
