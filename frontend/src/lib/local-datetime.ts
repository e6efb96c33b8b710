// <input type="date"> and <input type="time"> speak the reader's local time without a zone;
// the API wants ISO 8601 with one. These convert between the two.

export interface LocalDateTime {
  /** "2026-12-01" */
  date: string;
  /** "09:00" */
  time: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;

const pad = (value: number, length = 2) => String(Math.abs(value)).padStart(length, '0');

/** The local moment the two inputs describe, or null when they do not name a real one. */
export function localMoment({ date, time }: LocalDateTime): Date | null {
  const day = DATE.exec(date);
  const clock = TIME.exec(time);
  if (!day || !clock) {
    return null;
  }
  const [year, month, dayOfMonth] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const [hours, minutes] = [Number(clock[1]), Number(clock[2])];
  const moment = new Date(year, month - 1, dayOfMonth, hours, minutes);
  // new Date() rolls 31 February over into March; such a date was never typed on purpose.
  const sameDay =
    moment.getFullYear() === year &&
    moment.getMonth() === month - 1 &&
    moment.getDate() === dayOfMonth;
  return sameDay && hours < 24 && minutes < 60 ? moment : null;
}

/** "2026-12-01T09:00:00+07:00": the moment with the reader's UTC offset on that day. */
export function isoWithOffset(moment: Date): string {
  const offsetMinutes = -moment.getTimezoneOffset();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`;
  return (
    `${pad(moment.getFullYear(), 4)}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}` +
    `T${pad(moment.getHours())}:${pad(moment.getMinutes())}:00${zone}`
  );
}

/** The values for the date and time inputs showing `iso` in the reader's time zone. */
export function localInputsFor(iso: string): LocalDateTime {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) {
    return { date: '', time: '' };
  }
  return {
    date: `${pad(moment.getFullYear(), 4)}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`,
    time: `${pad(moment.getHours())}:${pad(moment.getMinutes())}`,
  };
}

/** A sensible start for a new meeting: the next full hour at least 30 minutes away. */
export function suggestedStart(now: Date = new Date()): LocalDateTime {
  const start = new Date(now.getTime() + 30 * 60_000);
  if (start.getMinutes() !== 0 || start.getSeconds() !== 0 || start.getMilliseconds() !== 0) {
    start.setHours(start.getHours() + 1, 0, 0, 0);
  }
  return localInputsFor(start.toISOString());
}

/** The reader's time zone name, e.g. "Asia/Jakarta", for labels. */
export function localTimeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
