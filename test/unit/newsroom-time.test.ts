import { beforeAll, describe, expect, it } from 'vitest';

type TimeModule = typeof import('../../newsroom/time.js');
let london: TimeModule;

beforeAll(async () => {
  // What the build defines (infra/newsroom-build.ts) with PRESSLINE_NEWSROOM_TIME_ZONE=Europe/London.
  (globalThis as { __NEWSROOM_TIME_ZONE__?: string }).__NEWSROOM_TIME_ZONE__ = 'Europe/London';
  london = await import('../../newsroom/time.js');
});

describe('the newsroom’s Publish at, read on the newsroom’s clock', () => {
  it('reads a winter time as GMT and a summer time as BST', () => {
    expect(london.NEWSROOM_TIME_ZONE).toBe('Europe/London');
    expect(london.localToIso('2026-12-01T09:30')).toBe('2026-12-01T09:30:00.000Z');
    expect(london.localToIso('2026-07-01T09:30')).toBe('2026-07-01T08:30:00.000Z');
  });

  it('reads the hours either side of the clocks changing', () => {
    // 29 March 2026, 01:00 GMT the clocks go to 02:00 BST; 25 October 2026, 02:00 BST back to 01:00 GMT.
    expect(london.localToIso('2026-03-29T00:59')).toBe('2026-03-29T00:59:00.000Z');
    expect(london.localToIso('2026-03-29T02:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(london.localToIso('2026-10-25T02:30')).toBe('2026-10-25T02:30:00.000Z');
  });

  it('shows an instant on the same clock it reads, so what is loaded is what was typed', () => {
    for (const typed of ['2026-01-15T23:45', '2026-06-30T00:15', '2026-03-29T03:00', '2026-10-25T12:00']) {
      expect(london.isoToLocal(london.localToIso(typed)!)).toBe(typed);
    }
  });

  it('takes nothing that is not a date and time', () => {
    expect(london.localToIso('')).toBeUndefined();
    expect(london.localToIso('tomorrow at nine')).toBeUndefined();
  });

  it('says the time in UTC', () => {
    expect(london.utcText('2026-07-01T08:30:00.000Z')).toBe('1 Jul 2026, 08:30 UTC');
  });
});

describe('the newsroom’s time zone setting', () => {
  it('takes an IANA zone and refuses a typo, naming the setting', async () => {
    const { checkTimeZone } = await import('../../infra/newsroom-build.js');
    expect(checkTimeZone('Europe/London')).toBe('Europe/London');
    expect(() => checkTimeZone('Europe/Londn')).toThrow(/PRESSLINE_NEWSROOM_TIME_ZONE or -c newsroomTimeZone/);
  });
});
