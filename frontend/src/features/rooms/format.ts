/** "Tue, 1 Dec 2026, 09:00" in the reader's time zone and language. */
export function meetingTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  return date.toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The day of month and short month for a calendar chip: { day: "1", month: "Dec" }. */
export function calendarDay(iso: string): { day: string; month: string } {
  const date = new Date(iso);
  return {
    day: date.toLocaleString(undefined, { day: 'numeric' }),
    month: date.toLocaleString(undefined, { month: 'short' }),
  };
}
