const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "just now", "5 minutes ago", "in 2 days". */
export function relativeTime(iso: string, now: Date = new Date(), locale = 'en'): string {
  const then = new Date(iso);
  const seconds = (then.getTime() - now.getTime()) / 1000;
  if (!Number.isFinite(seconds)) {
    return '';
  }
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      // Days count calendar dates in the reader's time zone: on Tuesday night a meeting on
      // Thursday morning is "in 2 days", not "tomorrow", though it is less than 48 hours away.
      const amount = unit === 'day' ? calendarDaysBetween(now, then) : Math.round(seconds / size);
      return format.format(amount, unit);
    }
  }
  return 'just now';
}

function calendarDaysBetween(from: Date, to: Date): number {
  const midnight = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());
  // (rounded: a day across a daylight-saving change has 23 or 25 hours)
  return Math.round((midnight(to).getTime() - midnight(from).getTime()) / (24 * 3600 * 1000));
}

/** "24 Nov 2026, 10:00" in the reader's time zone. */
export function dateTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
