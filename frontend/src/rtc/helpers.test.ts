import { describe, expect, it } from 'vitest';
import { fakeJwt } from '@/test/fake-socket';
import { backoffDelay } from './backoff';
import { signalingUrl } from './signaling-url';
import { tokenExpiresAt } from './token-expiry';

describe('backoffDelay', () => {
  it('stays between half the step and the step, doubling up to the cap', () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const step = Math.min(10_000, 500 * 2 ** attempt);
      expect(backoffDelay(attempt, () => 0)).toBe(step / 2);
      expect(backoffDelay(attempt, () => 0.999999)).toBeLessThanOrEqual(step);
      expect(backoffDelay(attempt, () => 0.999999)).toBeGreaterThan(step * 0.99);
    }
  });
});

describe('signalingUrl', () => {
  it('uses wss on https and ws on http, with the parameters encoded', () => {
    const params = { roomId: 'abc-defg-hij', userId: 'u 1', token: 'a.b+c' };
    expect(signalingUrl(params, { protocol: 'https:', host: 'meet.example' })).toBe(
      'wss://meet.example/ws?roomId=abc-defg-hij&userId=u+1&token=a.b%2Bc',
    );
    expect(signalingUrl(params, { protocol: 'http:', host: 'localhost:8765' })).toMatch(
      /^ws:\/\/localhost:8765\/ws\?/,
    );
  });
});

describe('tokenExpiresAt', () => {
  it('reads exp from a JWT, and null from anything else', () => {
    expect(tokenExpiresAt(fakeJwt(1_800_000_000_000))).toBe(1_800_000_000_000);
    expect(tokenExpiresAt('opaque')).toBeNull();
    expect(tokenExpiresAt('a.!!!.c')).toBeNull();
    expect(tokenExpiresAt(`a.${btoa('{"sub":"x"}')}.c`)).toBeNull();
  });
});
