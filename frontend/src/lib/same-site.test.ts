import { describe, expect, it } from 'vitest';
import { sameSitePath } from './same-site';

describe('sameSitePath', () => {
  const origin = 'https://rapat.example';

  it.each([
    ['https://rapat.example/recordings/rec-1', '/recordings/rec-1'],
    ['/recordings/rec-1?x=1', '/recordings/rec-1?x=1'],
    ['https://elsewhere.example/recordings/rec-1', null],
    ['javascript:alert(1)', null],
    ['http://[bad', null],
  ])('%s → %s', (url, path) => {
    expect(sameSitePath(url, origin)).toBe(path);
  });
});
