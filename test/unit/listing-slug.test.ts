import { describe, expect, it } from 'vitest';
import { listingSlug } from '../../shared/article/listing-slug.js';
import { joinSlugWords, slugify } from '../../shared/article/slug.js';
import { parsePagePath } from '../../shared/reader/page-routes.js';
import { authorPath, listingBasePath, tagPath } from '../../shared/render/site-paths.js';

/** Arabic, then cuneiform signs (outside the BMP: two UTF-16 units each): 45 characters, 87 units. */
const ARABIC_AND_CUNEIFORM = 'غزة' + '𒀀𒀁𒀂𒀃𒀄𒀅𒀆'.repeat(6);

const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('listingSlug', () => {
  it('cuts a long name between characters, never inside a surrogate pair', () => {
    expect([...ARABIC_AND_CUNEIFORM]).toHaveLength(45);
    const slug = listingSlug(ARABIC_AND_CUNEIFORM);
    expect(slug.length).toBeGreaterThan(0);
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(wellFormed(slug)).toBe(true);
    expect(ARABIC_AND_CUNEIFORM.startsWith(slug)).toBe(true);
  });

  it('cuts between grapheme clusters: a letter keeps its combining marks', () => {
    const slug = joinSlugWords(['e\u0301'.repeat(50)], 81);
    expect(slug).toBe('e\u0301'.repeat(40));
  });

  it('is its own slug, so the page a link points at never redirects again', () => {
    const slug = listingSlug(ARABIC_AND_CUNEIFORM);
    expect(listingSlug(slug)).toBe(slug);
  });

  it('still cuts an ASCII headline at a word', () => {
    expect(slugify('word '.repeat(40)).endsWith('-')).toBe(false);
    expect(joinSlugWords(['x'.repeat(100)])).toBe('x'.repeat(80));
  });
});

describe('paths of a tag or byline cut at the slug limit', () => {
  it('encode without throwing', () => {
    expect(() => tagPath(ARABIC_AND_CUNEIFORM)).not.toThrow();
    expect(() => authorPath(ARABIC_AND_CUNEIFORM)).not.toThrow();
    expect(tagPath(ARABIC_AND_CUNEIFORM)).toMatch(/^\/tags\/[%0-9A-F]+\/$/);
  });

  it('never throw on a lone surrogate, whatever produced it', () => {
    expect(() => listingBasePath({ kind: 'tag', slug: 'غزة\uD808' })).not.toThrow();
    expect(listingBasePath({ kind: 'author', slug: '\uDC00afp' })).toBe('/authors/%EF%BF%BDafp/');
  });

  it('route a request for the uncut name to the cut one', () => {
    const route = parsePagePath(`/tags/${ARABIC_AND_CUNEIFORM}/`);
    expect(route).toEqual({ kind: 'redirect', location: listingBasePath({ kind: 'tag', slug: listingSlug(ARABIC_AND_CUNEIFORM) }) });
  });
});
