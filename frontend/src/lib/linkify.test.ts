import { describe, expect, it } from 'vitest';
import { inAppHref, linkify } from './linkify';

describe('linkify', () => {
  it('splits text around links and leaves sentence punctuation outside', () => {
    expect(
      linkify('Open http://127.0.0.1:8765/verify-email?token=a-b_c. Or https://x.id/help,'),
    ).toEqual([
      { kind: 'text', text: 'Open ' },
      {
        kind: 'link',
        text: 'http://127.0.0.1:8765/verify-email?token=a-b_c',
        url: 'http://127.0.0.1:8765/verify-email?token=a-b_c',
      },
      { kind: 'text', text: '. Or ' },
      { kind: 'link', text: 'https://x.id/help', url: 'https://x.id/help' },
      { kind: 'text', text: ',' },
    ]);
  });

  it('keeps markup as plain text and ignores other schemes', () => {
    expect(linkify('<b>hi</b> javascript:alert(1)')).toEqual([
      { kind: 'text', text: '<b>hi</b> javascript:alert(1)' },
    ]);
    expect(linkify('')).toEqual([]);
  });
});

describe('inAppHref', () => {
  it('turns links to this app into paths and leaves others alone', () => {
    expect(inAppHref('http://127.0.0.1:8765/verify-email?token=t#x', 'http://127.0.0.1:8765')).toBe(
      '/verify-email?token=t#x',
    );
    expect(inAppHref('https://elsewhere.id/a', 'http://127.0.0.1:8765')).toBeNull();
    expect(inAppHref('not a url', 'http://127.0.0.1:8765')).toBeNull();
  });
});
