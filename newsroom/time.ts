/** The time zone `datetime-local` fields are read in: the browser's, where the newsroom works. */
export const NEWSROOM_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A `datetime-local` value (`2026-12-01T09:30`) as an instant, or undefined when empty or malformed. */
export function localToIso(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** An instant as a `datetime-local` value in the newsroom's zone. */
export function isoToLocal(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "1 Dec 2026, 09:30 UTC". */
export function utcText(iso: string): string {
  return `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso))} UTC`;
}
