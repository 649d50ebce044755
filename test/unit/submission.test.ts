import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/article/limits.js';
import { parseSubmission } from '../../shared/article/submission.js';
import { ValidationError } from '../../shared/errors.js';

const valid = { headline: 'Cairo talks make progress', section: 'world', body: 'Talks in Cairo.' };

function problems(input: unknown) {
  try {
    parseSubmission(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.fields.map((f) => `${f.path}:${f.rule}`);
    throw error;
  }
  return [];
}

describe('parseSubmission', () => {
  it('accepts a minimal submission and fills defaults', () => {
    expect(parseSubmission(valid)).toMatchObject({ ...valid, language: 'en', tags: [] });
  });

  it('names every missing required field', () => {
    expect(problems({})).toEqual(['headline:required', 'section:required', 'body:required']);
  });

  it('rejects an empty or blank body', () => {
    expect(problems({ ...valid, body: '  \n ' })).toEqual(['body:required']);
  });

  it('rejects a body over the documented limit', () => {
    expect(problems({ ...valid, body: 'x'.repeat(LIMITS.bodyChars + 1) })).toEqual(['body:max_length']);
  });

  it('refuses a section that is a path the site uses', () => {
    for (const section of ['api', 's', 'media', 'tags', 'authors']) expect(problems({ ...valid, section })).toEqual(['section:reserved']);
  });

  it('refuses a section that is not a slug', () => {
    expect(problems({ ...valid, section: 'World News' })).toEqual(['section:format']);
  });

  it('canonicalises the language tag and refuses a malformed one', () => {
    expect(parseSubmission({ ...valid, language: 'PT-br' }).language).toBe('pt-BR');
    expect(problems({ ...valid, language: 'not a tag' })).toEqual(['language:bcp47']);
  });

  it('refuses unknown fields so a typo never drops data silently', () => {
    expect(problems({ ...valid, headlin: 'x' })).toEqual(['headlin:unknown_field']);
  });

  it('requires alt text, caption and credit with a lead photo', () => {
    expect(problems({ ...valid, leadImage: { data: 'AAAA' } })).toEqual(['leadImage.alt:required', 'leadImage.caption:required', 'leadImage.credit:required']);
  });

  it('accepts a publication time in the future, even a second ahead: an embargo', () => {
    const publishedAt = new Date(Date.now() + 1_000).toISOString();
    expect(parseSubmission({ ...valid, publishedAt }).publishedAt).toBe(publishedAt);
  });

  it('refuses a status other than draft, naming the field', () => {
    expect(problems({ ...valid, status: 'published' })).toEqual(['status:invalid_value']);
  });

  it('refuses a slug that is not one', () => {
    expect(problems({ ...valid, slug: 'Not A Slug' })).toEqual(['slug:format']);
  });

  it('refuses a publication time before 1900 or after 9999 (UTC), such as year 0 shifted to year -1', () => {
    expect(problems({ ...valid, publishedAt: '0000-01-01T00:30:00+01:00' })).toEqual(['publishedAt:range']);
    expect(problems({ ...valid, publishedAt: '1899-12-31T23:59:59Z' })).toEqual(['publishedAt:range']);
    expect(problems({ ...valid, publishedAt: '1900-01-01T00:30:00+01:00' })).toEqual(['publishedAt:range']);
    expect(parseSubmission({ ...valid, publishedAt: '1900-01-01T00:00:00Z' }).publishedAt).toBe('1900-01-01T00:00:00Z');
  });

  it('refuses required text made only of control, zero-width or other invisible characters as empty', () => {
    expect(problems({ ...valid, headline: '\u200B\u200D\u2060\uFEFF\u0007' })).toEqual(['headline:required']);
    expect(problems({ ...valid, body: '\u200B\u00AD\n\u180E' })).toEqual(['body:required']);
    expect(problems({ ...valid, tags: ['\u200C'] })).toEqual(['tags.0:required']);
    expect(problems({ ...valid, leadImage: { data: 'AAAA', alt: '\u2800\u3164', caption: '\u034F', credit: '\uFE0F' } })).toEqual([
      'leadImage.alt:required',
      'leadImage.caption:required',
      'leadImage.credit:required',
    ]);
  });

  it('treats optional text made only of invisible characters as left out', () => {
    const parsed = parseSubmission({ ...valid, byline: '\u200B', standfirst: '\u2063' });
    expect(parsed.byline).toBeUndefined();
    expect(parsed.standfirst).toBeUndefined();
  });

  it('keeps text whose invisible characters join visible ones (Persian ZWNJ, emoji ZWJ)', () => {
    expect(parseSubmission({ ...valid, headline: 'می\u200Cخواهم 👩\u200D💻' }).headline).toBe('می\u200Cخواهم 👩\u200D💻');
  });

  it('refuses bidi embedding, override and isolate controls in plain-text fields, naming them', () => {
    expect(problems({ ...valid, byline: 'AFP\u202E' })).toEqual(['byline:bidi_control']);
    expect(problems({ ...valid, headline: '\u2067Cairo\u2069 talks', standfirst: '\u202AText', tags: ['x\u202D'] })).toEqual([
      'headline:bidi_control',
      'standfirst:bidi_control',
      'tags.0:bidi_control',
    ]);
    try {
      parseSubmission({ ...valid, byline: 'AFP\u202E' });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields[0]?.message).toBe(
        "byline must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069), which would reorder the page's text around it; found U+202E; received a string of 4 characters",
      );
    }
  });

  it('keeps the bidi marks that only set a direction (LRM, RLM, ALM)', () => {
    expect(parseSubmission({ ...valid, byline: 'أ ف ب\u200F' }).byline).toBe('أ ف ب\u200F');
  });

  it('holds the language tag to 35 characters', () => {
    expect(problems({ ...valid, language: 'en-x-' + Array(5).fill('abcdefgh').join('-') })).toEqual(['language:max_length']);
    expect(parseSubmission({ ...valid, language: 'zh-Hant-TW' }).language).toBe('zh-Hant-TW');
  });

  it('says what it received, never echoing the value itself', () => {
    try {
      parseSubmission({ ...valid, headline: 'h'.repeat(201) });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields[0]?.message).toBe('headline must have at most 200 characters; received a string of 201 characters');
    }
  });
});
