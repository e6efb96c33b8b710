import { describe, expect, it } from 'vitest';
import { formatDuration, formatMinutes } from './duration';

describe('formatDuration', () => {
  it.each([
    [0, '< 1 min'],
    [29, '< 1 min'],
    [30, '1 min'],
    [1830, '31 min'],
    [59 * 60, '59 min'],
    [3599, '1 h'],
    [3600 + 5 * 60, '1 h 05 min'],
    [2 * 3600 + 42 * 60 + 10, '2 h 42 min'],
    [26 * 3600, '26 h'],
  ])('formats %i seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('leaves %s blank', (seconds) => {
    expect(formatDuration(seconds)).toBe('');
  });
});

describe('formatMinutes', () => {
  it('formats planned lengths', () => {
    expect(formatMinutes(30)).toBe('30 min');
    expect(formatMinutes(90)).toBe('1 h 30 min');
  });
});
