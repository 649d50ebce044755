/**
 * Dates as a reader sees them, in the article's own language; the machine-readable form goes in
 * `<time datetime>`. Times are shown in UTC with the zone named: the newsroom's readers are everywhere.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(language: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${language}|${withTime}`;
  let format = cache.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = withTime
      ? { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }
      : { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' };
    try {
      format = new Intl.DateTimeFormat(language, options);
    } catch {
      format = new Intl.DateTimeFormat('en', options);
    }
    cache.set(key, format);
  }
  return format;
}

/** "7 April 2024 at 09:30 UTC" (en-GB), "April 7, 2024 at 09:30 AM UTC" (en). */
export function formatDateTime(iso: string, language: string): string {
  return formatter(language, true).format(new Date(iso));
}

/** "April 7, 2024": the date alone, for teasers. */
export function formatDate(iso: string, language: string): string {
  return formatter(language, false).format(new Date(iso));
}
