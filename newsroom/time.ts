/** Set at build from `PRESSLINE_NEWSROOM_TIME_ZONE` / `-c newsroomTimeZone` (infra/newsroom-build.ts); empty when unset. */
declare const __NEWSROOM_TIME_ZONE__: string;

/** Whether the newsroom has a zone of its own, rather than each browser's. */
export const ZONE_IS_THE_NEWSROOMS = __NEWSROOM_TIME_ZONE__ !== '';

/** The zone "Publish at" is read and shown in: the newsroom's, else the browser's. */
export const NEWSROOM_TIME_ZONE = __NEWSROOM_TIME_ZONE__ || Intl.DateTimeFormat().resolvedOptions().timeZone;

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: NEWSROOM_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** How far the zone's clocks are ahead of UTC at an instant, in milliseconds (it changes with summer time). */
function offsetAt(instant: number): number {
  const parts = wallClock.formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A `datetime-local` value (`2026-12-01T09:30`) read as the zone's wall clock, as an instant; undefined when empty or malformed. */
export function localToIso(value: string): string | undefined {
  const match = LOCAL.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // The offset at the wall-clock time, corrected once for a change of offset in between.
  const instant = wall - offsetAt(wall - offsetAt(wall));
  return Number.isNaN(instant) ? undefined : new Date(instant).toISOString();
}

/** An instant as a `datetime-local` value on the zone's wall clock. */
export function isoToLocal(iso: string): string {
  const wall = new Date(Date.parse(iso) + offsetAt(Date.parse(iso)));
  return wall.toISOString().slice(0, 16);
}

/** "1 Dec 2026, 09:30 UTC". */
export function utcText(iso: string): string {
  return `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso))} UTC`;
}

const zoned = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: NEWSROOM_TIME_ZONE });

/** "1 Dec 2026, 04:30 America/New_York": on the clock "Publish at" is typed on, the zone named. */
export function zonedText(iso: string): string {
  return `${zoned.format(new Date(iso))} ${NEWSROOM_TIME_ZONE}`;
}
