import { describe, expect, it } from 'vitest';
import { loginPathFor, safeNextPath } from './safe-next';

describe('safeNextPath', () => {
  it.each([
    ['/contacts', '/contacts'],
    ['/r/abc-defg-hij?x=1', '/r/abc-defg-hij?x=1'],
    [null, '/'],
    [undefined, '/'],
    ['', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
  ])('%j → %s', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});

describe('loginPathFor', () => {
  it('sends the user back where they were', () => {
    expect(loginPathFor('/profile?tab=1')).toBe('/login?next=%2Fprofile%3Ftab%3D1');
    expect(loginPathFor('/')).toBe('/login');
  });
});
