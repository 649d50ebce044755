import { importWireCopy } from './wire-import.js';

export interface WireSubmissionOptions {
  headline: string;
  section: string;
  byline?: string;
  standfirst?: string;
  language?: string;
  tags?: string[];
  /** The lead photo's bytes; its caption and credit come from the wire copy's first line. */
  photo?: { bytes: Uint8Array; alt: string; credit?: string };
}

/**
 * A submission (the JSON `POST /api/articles` takes) from plain-text wire copy: the body from the
 * importer, the photo's caption and agency credit from the copy's first line.
 */
export function wireSubmission(text: string, options: WireSubmissionOptions): Record<string, unknown> {
  const wire = importWireCopy(text);
  const credit = options.photo?.credit ?? wire.caption?.credit;
  if (options.photo && !wire.caption) throw new Error('The wire copy has no caption line for the photo.');
  if (options.photo && !credit) throw new Error('The caption line has no agency credit at its end: give the photo credit.');
  return {
    headline: options.headline,
    section: options.section,
    ...(options.byline ? { byline: options.byline } : {}),
    ...(options.standfirst ? { standfirst: options.standfirst } : {}),
    ...(options.language ? { language: options.language } : {}),
    ...(options.tags?.length ? { tags: options.tags } : {}),
    body: wire.body,
    ...(options.photo && wire.caption
      ? { leadImage: { data: Buffer.from(options.photo.bytes).toString('base64'), alt: options.photo.alt, caption: wire.caption.text, credit } }
      : {}),
  };
}
