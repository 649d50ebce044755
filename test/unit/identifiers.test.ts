import { describe, expect, it } from 'vitest';
import { isShortCode, newShortCode, SHORT_CODE_ALPHABET } from '../../shared/article/short-code.js';
import { articlePath, slugCandidate, slugify } from '../../shared/article/slug.js';
import { issueApiKey, parseApiKey, secretMatches } from '../../shared/auth/api-key.js';

describe('slugify', () => {
  it('makes a readable ASCII slug of a headline', () => {
    expect(slugify('Israel pulls troops out of southern Gaza')).toBe('israel-pulls-troops-out-of-southern-gaza');
  });

  it('drops accents, apostrophes and quotation marks', () => {
    expect(slugify('Pérez\'s "significant progress" in Zürich')).toBe('perezs-significant-progress-in-zurich');
  });

  it('cuts at a word boundary within 80 characters', () => {
    const slug = slugify('word '.repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith('-')).toBe(false);
  });

  it('gives an empty slug for a script with no Latin letters', () => {
    expect(slugify('محادثات القاهرة')).toBe('');
  });
});

describe('articlePath', () => {
  it('is section, UTC date and slug', () => {
    expect(articlePath('world', new Date('2024-04-07T23:30:00-02:00'), 'slug')).toBe('/world/2024/04/08/slug/');
  });

  it('numbers later candidates for the same slug', () => {
    expect([0, 1, 2].map((n) => slugCandidate('cairo', n))).toEqual(['cairo', 'cairo-2', 'cairo-3']);
  });
});

describe('short codes', () => {
  it('are 7 characters of the unambiguous alphabet', () => {
    const code = newShortCode();
    expect(code).toHaveLength(7);
    expect([...code].every((c) => SHORT_CODE_ALPHABET.includes(c))).toBe(true);
    expect(isShortCode(code)).toBe(true);
  });

  it('repeat across many draws no more often than chance allows', () => {
    // 10,000 draws from 31^7 codes repeat once in about 550 runs by chance alone (birthday bound:
    // n²/2N ≈ 0.0018), which is why uniqueness comes from a conditional write, not from the draw.
    // Three or more repeats happen by chance about once in a billion runs; a broken generator
    // (a short cycle, a fixed seed, a narrowed alphabet) repeats far more.
    const draws = 10_000;
    const codes = new Set(Array.from({ length: draws }, () => newShortCode()));
    expect(draws - codes.size).toBeLessThanOrEqual(2);
  });

  it('use every character of the alphabet in every position', () => {
    const codes = Array.from({ length: 2_000 }, () => newShortCode());
    for (let position = 0; position < 7; position++) {
      // Each of 31 characters is missing from 2,000 draws with probability (30/31)^2000 ≈ 1e-29.
      expect(new Set(codes.map((code) => code[position])).size, `position ${position}`).toBe(SHORT_CODE_ALPHABET.length);
    }
  });

  it('exclude look-alike characters', () => {
    expect(SHORT_CODE_ALPHABET).not.toMatch(/[01ilo]/);
    expect(isShortCode('abc1234')).toBe(false);
  });
});

describe('API keys', () => {
  it('round-trips an issued key and stores only a hash', () => {
    const { token, record } = issueApiKey('Jane', 'reporter');
    const parsed = parseApiKey(token);
    expect(parsed?.id).toBe(record.id);
    expect(JSON.stringify(record)).not.toContain(parsed!.secret);
    expect(secretMatches(parsed!.secret, record)).toBe(true);
  });

  it('rejects a wrong secret and a malformed token', () => {
    const { record } = issueApiKey('Jane', 'reporter');
    expect(secretMatches('x'.repeat(43), record)).toBe(false);
    expect(parseApiKey('not-a-key')).toBeUndefined();
  });
});
