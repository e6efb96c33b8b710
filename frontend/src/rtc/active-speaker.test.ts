import { describe, expect, it } from 'vitest';
import { pickSpeaker } from './active-speaker';

const levels = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('pickSpeaker', () => {
  it('picks the loudest person above the noise floor', () => {
    expect(pickSpeaker(levels({ a: 0.1, b: 0.3 }), null)).toBe('b');
    expect(pickSpeaker(levels({ a: 0.01, b: 0.02 }), null)).toBeNull();
  });

  it('keeps the current speaker unless someone is clearly louder', () => {
    expect(pickSpeaker(levels({ a: 0.2, b: 0.25 }), 'a')).toBe('a');
    expect(pickSpeaker(levels({ a: 0.2, b: 0.4 }), 'a')).toBe('b');
  });

  it('keeps the last speaker during silence and moves on when another speaks', () => {
    expect(pickSpeaker(levels({ a: 0, b: 0 }), 'a')).toBe('a');
    expect(pickSpeaker(levels({ a: 0, b: 0.05 }), 'a')).toBe('b');
  });
});
