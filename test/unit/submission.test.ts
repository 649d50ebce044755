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

  it('says what it received, never echoing the value itself', () => {
    try {
      parseSubmission({ ...valid, headline: 'h'.repeat(201) });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields[0]?.message).toBe('headline must have at most 200 characters; received a string of 201 characters');
    }
  });
});
