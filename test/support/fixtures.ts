import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { wireSubmission as wireSubmissionFrom } from '../../shared/article/wire-submission.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export const WIRE_TEXT = readFileSync(`${FIXTURES}khan-yunis-wire.txt`, 'utf8');
export const WIRE_HEADLINE = 'Israel pulls troops out of southern Gaza as Cairo truce talks make "significant progress"';

export function photo(name: 'gps.jpg' | 'progressive.jpg' | 'plain.png' | 'photo.webp'): Buffer {
  return readFileSync(`${FIXTURES}photos/${name}`);
}

/** The wire fixture as a reporter would submit it: headline, section, tags, and the lead photo. */
export function wireSubmission(options: { withPhoto?: boolean; headline?: string } = {}): Record<string, unknown> {
  return wireSubmissionFrom(WIRE_TEXT, {
    headline: options.headline ?? WIRE_HEADLINE,
    section: 'world',
    byline: 'AFP',
    language: 'en',
    tags: ['Gaza', 'Egypt'],
    ...(options.withPhoto === false ? {} : { photo: { bytes: photo('gps.jpg'), alt: 'A man stands by the rubble of a destroyed building' } }),
  });
}

/** Every non-empty wire line a reader must find on the page, minus the caption, footer and subheading. */
export function wireParagraphs(): string[] {
  return WIRE_TEXT.split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(1)
    .filter((l) => l !== 'Short link:' && l !== 'Cairo talks');
}
