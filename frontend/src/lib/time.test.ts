import { describe, expect, it } from 'vitest';
import { dateTime, relativeTime } from './time';

const now = new Date('2026-11-24T10:00:00Z');

describe('relativeTime', () => {
  it.each([
    ['2026-11-24T09:59:30Z', 'just now'],
    ['2026-11-24T09:55:00Z', '5 minutes ago'],
    ['2026-11-24T07:00:00Z', '3 hours ago'],
    ['2026-11-23T10:00:00Z', 'yesterday'],
    ['2026-12-01T10:00:00Z', 'next week'],
    ['not a date', ''],
  ])('%s → %s', (iso, expected) => {
    expect(relativeTime(iso, now)).toBe(expected);
  });
});

describe('relativeTime in days counts calendar dates, in the local time zone', () => {
  const at = (day: number, hour: number) => new Date(2026, 10, day, hour, 24);
  it.each([
    [at(24, 23), at(26, 10), 'in 2 days'], // Tuesday night, Thursday morning: 35 hours
    [at(24, 1), at(25, 23), 'tomorrow'], // 46 hours, but the next date
    [at(24, 23), at(23, 1), 'yesterday'],
    [at(24, 23), at(25, 10), 'in 11 hours'], // under a day: hours
  ])('%s to %s → %s', (from, to, expected) => {
    expect(relativeTime(to.toISOString(), from)).toBe(expected);
  });
});

describe('dateTime', () => {
  it('formats a timestamp and returns nothing for garbage', () => {
    expect(dateTime('2026-11-24T10:00:00Z', 'en-GB')).toMatch(/24 Nov 2026/);
    expect(dateTime('garbage')).toBe('');
  });
});
