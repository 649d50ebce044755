import { describe, expect, it } from 'vitest';
import { articleDescription, DESCRIPTION_MAX_CHARACTERS, firstParagraphText, shortenAtWord } from '../../shared/render/description.js';

const LONG_PARAGRAPH =
  'Israel pulled its ground forces out of the southern Gaza Strip on Sunday, six months into the war, as negotiators gathered in Cairo for talks that Egyptian officials said had made significant progress.';

describe('firstParagraphText', () => {
  it('skips headings and reads the first paragraph as plain text, links and emphasis keeping their words', () => {
    const body = '## Cairo talks\n\nTalks in **Cairo** resumed with [the delegations](https://example.org/) and `code`.\n\nA second paragraph.';
    expect(firstParagraphText(body)).toBe('Talks in Cairo resumed with the delegations and code.');
  });

  it('turns Markdown escapes and entities into the characters a reader sees, and line breaks into spaces', () => {
    expect(firstParagraphText('Q&amp;A: \\*not emphasis\\*\nsecond line  \nthird line')).toBe('Q&A: *not emphasis* second line third line');
  });

  it('prefers the first top-level paragraph to a quotation or list the body opens with', () => {
    expect(firstParagraphText('> "One step away from victory."\n\n- a list item\n\nThe minister spoke on Sunday.')).toBe('The minister spoke on Sunday.');
  });

  it('falls back to a quoted paragraph when the body has nothing else', () => {
    expect(firstParagraphText('## Heading\n\n> Only a quotation.')).toBe('Only a quotation.');
  });

  it('finds nothing in a body of headings alone', () => {
    expect(firstParagraphText('# One\n\n## Two')).toBeUndefined();
  });
});

describe('shortenAtWord', () => {
  it('leaves text within the limit as it is', () => {
    const text = 'x'.repeat(DESCRIPTION_MAX_CHARACTERS);
    expect(shortenAtWord(text, 'en')).toBe(text);
  });

  it('ends a longer text on a whole word within the limit, with an ellipsis', () => {
    const short = shortenAtWord(LONG_PARAGRAPH, 'en');
    expect(short.length).toBeLessThanOrEqual(DESCRIPTION_MAX_CHARACTERS);
    expect(short).toBe('Israel pulled its ground forces out of the southern Gaza Strip on Sunday, six months into the war, as negotiators gathered in Cairo for talks that Egyptian…');
  });

  it('cuts Arabic between words too', () => {
    const arabic = 'قال مصدر مصري رفيع إن المحادثات أحرزت تقدما كبيرا '.repeat(6).trim();
    const short = shortenAtWord(arabic, 'ar');
    expect(short.length).toBeLessThanOrEqual(DESCRIPTION_MAX_CHARACTERS);
    expect(short.endsWith('…')).toBe(true);
    const kept = short.slice(0, -1);
    expect(arabic.startsWith(kept)).toBe(true);
    expect(arabic[kept.length]).toBe(' ');
  });

  it('cuts one overlong word between characters, never inside a surrogate pair', () => {
    const short = shortenAtWord('🙂'.repeat(100), 'en');
    expect(short.length).toBeLessThanOrEqual(DESCRIPTION_MAX_CHARACTERS);
    expect(short).toBe(`${'🙂'.repeat(79)}…`);
  });

  it('falls back to English word rules for a language tag Intl cannot read', () => {
    expect(shortenAtWord(LONG_PARAGRAPH, 'not a tag!')).toBe(shortenAtWord(LONG_PARAGRAPH, 'en'));
  });
});

describe('articleDescription', () => {
  it('is the standfirst when the newsroom wrote one', () => {
    expect(articleDescription({ standfirst: 'Talks make progress.', body: 'Body text.', language: 'en' })).toBe('Talks make progress.');
  });

  it('is the opening of the body, shortened, when there is no standfirst', () => {
    const description = articleDescription({ standfirst: undefined, body: `## Cairo talks\n\n${LONG_PARAGRAPH}`, language: 'en' });
    expect(description?.endsWith('Egyptian…')).toBe(true);
  });

  it('is undefined for a body without a paragraph', () => {
    expect(articleDescription({ standfirst: undefined, body: '## Only a heading', language: 'en' })).toBeUndefined();
  });
});
