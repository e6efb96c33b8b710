import { describe, expect, it } from 'vitest';
import { elapsedText, overallQuality } from './meeting-clock';

describe('the meeting header figures', () => {
  it('writes the time in the meeting as m:ss, then h:mm:ss', () => {
    expect(elapsedText(0, 0)).toBe('0:00');
    expect(elapsedText(0, 65_400)).toBe('1:05');
    expect(elapsedText(0, 3_729_000)).toBe('1:02:09');
    expect(elapsedText(5_000, 0)).toBe('0:00'); // a clock that stepped back
  });

  it('sums the connection up as the worst of what arrives', () => {
    expect(overallQuality({})).toBeNull();
    expect(overallQuality({ a: 'good', b: 'good' })).toBe('good');
    expect(overallQuality({ a: 'good', b: 'fair' })).toBe('fair');
    expect(overallQuality({ a: 'fair', b: 'poor' })).toBe('poor');
  });
});
