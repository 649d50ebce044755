import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { articleSchema, type Article } from '../shared/article/article.js';
import { importWireCopy } from '../shared/article/wire-import.js';

const PROJECT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The wire article every figure is measured on. The project keeps a copy under test/fixtures
 * (the golden tests use it); the shared copy beside the project is the fallback for a checkout
 * that lacks it. Nothing is made up: without the real article the benchmark stops.
 */
const WIRE_CANDIDATES = [`${PROJECT}test/fixtures/khan-yunis-wire.txt`, `${PROJECT}../shared/fixtures/khan-yunis-wire.txt`];

/**
 * A 1200×800 JPEG of 159 KB (blurred noise, quality 80, no metadata): the size of a real news photo,
 * made once and committed so the benchmark needs no image encoder.
 */
export const LEAD_PHOTO_FILE = `${PROJECT}bench/fixtures/lead-photo.jpg`;
export const LEAD_PHOTO = { width: 1200, height: 800 } as const;

export const WIRE_HEADLINE = 'Israel pulls troops out of southern Gaza as Cairo truce talks make "significant progress"';

function readWire(): string {
  const file = WIRE_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`The benchmark needs the wire fixture; none of these exist:\n  ${WIRE_CANDIDATES.join('\n  ')}`);
  return readFileSync(file, 'utf8');
}

export interface BenchFixture {
  /** The submission as a reporter sends it; `headline` varies per publish so each gets its own URL. */
  submission(options: { withPhoto: boolean; headline?: string }): Record<string, unknown>;
  /** The article as stored after publishing the submission with its photo: what the page renders. */
  article: Article;
  photoBytes: Buffer;
  /** The text a reader came for (headline, caption, body): the floor for the page's bytes. */
  textBytes: number;
}

export function loadFixture(): BenchFixture {
  const wire = importWireCopy(readWire());
  if (!wire.caption?.credit) throw new Error('The wire fixture no longer starts with a credited caption; the benchmark expects one.');
  const caption = wire.caption;
  const photoBytes = readFileSync(LEAD_PHOTO_FILE);
  const alt = 'A man stands by the rubble of a destroyed building';
  const base = { section: 'world', byline: 'AFP', language: 'en', tags: ['Gaza', 'Egypt'], body: wire.body };

  const article = articleSchema.parse({
    ...base,
    headline: WIRE_HEADLINE,
    id: '6f1c2a7e-3b7d-4f0e-9d55-2c8b1f0e4a11',
    version: 1,
    status: 'published',
    path: '/world/2024/04/08/israel-pulls-troops-out-of-southern-gaza-as-cairo-truce-talks-make-significant/',
    shortCode: '7kq2m9x',
    leadImage: { key: 'media/6f1c2a7e-3b7d-4f0e-9d55-2c8b1f0e4a11/lead.jpg', contentType: 'image/jpeg', ...LEAD_PHOTO, bytes: photoBytes.length, alt, caption: caption.text, credit: caption.credit },
    publishedAt: '2024-04-08T09:30:00.000Z',
    updatedAt: '2024-04-08T09:30:00.000Z',
    createdBy: { keyId: 'bench', name: 'Benchmark', role: 'editor' },
  });

  return {
    article,
    photoBytes,
    textBytes: Buffer.byteLength(WIRE_HEADLINE + caption.text + caption.credit + wire.body),
    submission: ({ withPhoto, headline = WIRE_HEADLINE }) => ({
      ...base,
      headline,
      ...(withPhoto ? { leadImage: { data: photoBytes.toString('base64'), alt, caption: caption.text, credit: caption.credit } } : {}),
    }),
  };
}
