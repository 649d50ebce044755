import { describe, expect, it } from 'vitest';
import { importWireCopy, isSubheading, splitCaptionCredit } from '../../shared/article/wire-import.js';
import { WIRE_TEXT, wireParagraphs } from '../support/fixtures.js';

describe('splitCaptionCredit', () => {
  it('splits an agency credit glued to the final full stop', () => {
    expect(splitCaptionCredit('A man stands by the rubble in the southern Gaza Strip.AFP')).toEqual({
      text: 'A man stands by the rubble in the southern Gaza Strip.',
      credit: 'AFP',
    });
  });

  it('splits a multi-word agency credit', () => {
    expect(splitCaptionCredit('Protesters in Paris. Getty Images')).toEqual({ text: 'Protesters in Paris.', credit: 'Getty Images' });
  });

  it('keeps a caption with no credit whole', () => {
    expect(splitCaptionCredit('Protesters in Paris, France')).toEqual({ text: 'Protesters in Paris, France' });
  });
});

describe('isSubheading', () => {
  it('recognises a short unpunctuated line', () => expect(isSubheading('Cairo talks')).toBe(true));
  it('rejects a sentence', () => expect(isSubheading('Israel pulled its forces out on Sunday.')).toBe(false));
  it('rejects a quotation', () => expect(isSubheading('"We can smell the stench"')).toBe(false));
});

describe('importWireCopy', () => {
  const wire = importWireCopy(WIRE_TEXT);

  it('takes the caption and credit from the first line', () => {
    expect(wire.caption?.text).toMatch(/^A man stands by the rubble .* southern Gaza Strip\.$/);
    expect(wire.caption?.credit).toBe('AFP');
  });

  it('marks "Cairo talks" as a subheading and keeps every paragraph', () => {
    expect(wire.body).toContain('\n\n## Cairo talks\n\n');
    for (const paragraph of wireParagraphs()) expect(wire.body).toContain(paragraph);
  });

  it('drops the "Short link:" footer', () => {
    expect(wire.body).not.toMatch(/Short link/);
  });

  it('escapes characters that Markdown would otherwise interpret', () => {
    expect(importWireCopy('caption.AFP\n# not a heading\n*not emphasis*').body).toBe('\\# not a heading\n\n\\*not emphasis\\*');
  });
});
