const MAX_SLUG = 80;

/**
 * A readable, ASCII-only URL segment from a headline: "Israel pulls troops out" → "israel-pulls-troops-out".
 * ASCII keeps URLs identical in S3 keys, CloudFront paths and shared links; scripts with no Latin
 * transliteration (Arabic, say) give an empty slug and the caller falls back to the article id.
 */
export function slugify(text: string, max = MAX_SLUG): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return joinSlugWords(words, max);
}

/**
 * Joins words with hyphens while the slug stays within `max` UTF-16 units, dropping the rest
 * whole; a first word longer than `max` is cut to it between characters (see `cutToLength`).
 */
export function joinSlugWords(words: readonly string[], max = MAX_SLUG): string {
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > max) break;
    slug = next;
  }
  return slug || cutToLength(words[0] ?? '', max);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest start of `text` within `max` UTF-16 units that ends between two user-perceived
 * characters (grapheme clusters): never inside a surrogate pair, where `encodeURIComponent` would
 * throw, nor between a letter and its marks. A single cluster longer than `max` (a letter under a
 * pile of marks) is cut between code points instead.
 */
export function cutToLength(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = '';
  for (const { segment } of graphemes.segment(text)) {
    if (cut.length + segment.length > max) break;
    cut += segment;
  }
  if (cut) return cut;
  for (const codePoint of text) {
    if (cut.length + codePoint.length > max) break;
    cut += codePoint;
  }
  return cut;
}

/** `/world/2024/04/07/israel-pulls-troops-out/`: section, UTC date of publication, slug. */
export function articlePath(section: string, publishedAt: Date, slug: string): string {
  const [y, m, d] = publishedAt.toISOString().slice(0, 10).split('-');
  return `/${section}/${y}/${m}/${d}/${slug}/`;
}

/** Candidate slugs for the nth attempt at a unique path: `slug`, `slug-2`, `slug-3`, … */
export function slugCandidate(slug: string, attempt: number): string {
  return attempt === 0 ? slug : `${slug}-${attempt + 1}`;
}
