import { describe, expect, it } from 'vitest';
import { initialsOf } from './initials';

describe('initialsOf', () => {
  it.each([
    ['Ayu Lestari', 'AL'],
    ['budi', 'B'],
    ['Siti Nur Aisyah', 'SA'],
    ['  dewi   ', 'D'],
    ['rizky.pratama@example.id', 'RP'],
    ['', '?'],
  ])('%j → %s', (name, expected) => {
    expect(initialsOf(name)).toBe(expected);
  });
});
