import { joinSlugWords, slugify } from './slug.js';

/**
 * The URL segment of a tag or author page, and the name of its listing: the ASCII slug where the
 * name has Latin letters or digits ("Gaza" → "gaza"), otherwise the name's own letters
 * ("غزة" → "غزة", "أ ف ب" → "أ-ف-ب"), so tags and bylines in Arabic get a page too.
 * Publishing names the listing and the page links to it with this one function, so they agree.
 */
export function listingSlug(name: string): string {
  const ascii = slugify(name);
  if (ascii) return ascii;
  const words = name.normalize('NFC').toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);
  return joinSlugWords(words);
}
