import { describe, expect, it } from 'vitest';
import { initialStatus, newPreviewToken, previewTokenMatches } from '../../shared/publishing/workflow-rules.js';
import { atExpression } from '../../shared/storage/eventbridge-scheduler.js';
import { deskListingsFor, listingEntriesFor } from '../../shared/publishing/listing-entries.js';

const reporter = { personId: 'p-r1', keyId: 'r1', name: 'Rita', role: 'reporter' as const };
const editor = { personId: 'p-e1', keyId: 'e1', name: 'Ed', role: 'editor' as const };
const now = new Date('2026-06-01T14:00:00.000Z');

describe('where a new submission starts', () => {
  it('is a draft when asked, whoever asks and whatever the time', () => {
    expect(initialStatus({ status: 'draft', publishedAt: '2026-07-01T00:00:00Z' }, editor, now, false)).toBe('draft');
  });

  it('is scheduled when its time is later than now, even by a second, and published otherwise', () => {
    expect(initialStatus({ publishedAt: '2026-06-01T14:00:01Z' }, reporter, now, false)).toBe('scheduled');
    expect(initialStatus({ publishedAt: '2026-06-01T14:00:00Z' }, reporter, now, false)).toBe('published');
    expect(initialStatus({ publishedAt: '2026-01-01T00:00:00Z' }, reporter, now, false)).toBe('published');
    expect(initialStatus({}, reporter, now, false)).toBe('published');
  });

  it("waits for an editor when review is on and a reporter asks; an editor's goes ahead", () => {
    expect(initialStatus({}, reporter, now, true)).toBe('submitted');
    expect(initialStatus({ publishedAt: '2026-06-02T00:00:00Z' }, reporter, now, true)).toBe('submitted');
    expect(initialStatus({ publishedAt: '2026-06-02T00:00:00Z' }, editor, now, true)).toBe('scheduled');
  });
});

describe('preview secrets', () => {
  it('are 128 random bits, URL-safe, and match only themselves', () => {
    const token = newPreviewToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newPreviewToken()).not.toBe(token);
    expect(previewTokenMatches(token, token)).toBe(true);
    expect(previewTokenMatches(token.slice(0, -1), token)).toBe(false);
    expect(previewTokenMatches(token, undefined)).toBe(false);
  });
});

describe('listing entries by status', () => {
  const article = { section: 'world', byline: 'AFP', tags: ['Gaza'], createdBy: reporter };

  it("puts only a published article on readers' listings, and only a scheduled one on the schedule", () => {
    const desk = deskListingsFor({ status: 'published', createdBy: reporter });
    expect(listingEntriesFor({ ...article, status: 'published' })).toEqual(['all', 'section#world', 'author#afp', 'tag#gaza', ...desk]);
    expect(listingEntriesFor({ ...article, status: 'scheduled' })).toEqual(['schedule', ...deskListingsFor({ status: 'scheduled', createdBy: reporter })]);
    expect(listingEntriesFor({ ...article, status: 'draft' })).toEqual(['desk', 'desk#status#draft', 'desk#mine#p-r1', 'desk#mine#p-r1#status#draft']);
  });

  it('files an article stored before people existed under its key id, which is that key’s person id', () => {
    const { personId: _person, ...byKeyOnly } = reporter;
    expect(deskListingsFor({ status: 'draft', createdBy: byKeyOnly })).toEqual(['desk', 'desk#status#draft', 'desk#mine#r1', 'desk#mine#r1#status#draft']);
  });
});

describe("EventBridge Scheduler's one-time expression", () => {
  it('is the UTC second of the embargo, never earlier', () => {
    expect(atExpression('2026-06-01T16:00:30+02:00')).toBe('at(2026-06-01T14:00:30)');
    expect(atExpression('2026-06-01T14:00:30.250Z')).toBe('at(2026-06-01T14:00:31)');
  });
});
