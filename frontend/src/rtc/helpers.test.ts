import { describe, expect, it } from 'vitest';
import { fakeJwt } from '@/test/fake-socket';
import { backoffDelay } from './backoff';
import { signalingUrl, signalingUrlAt } from './signaling-url';
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

describe('signalingUrlAt', () => {
  const params = { roomId: 'abc-defg-hij', userId: 'u 1', token: 'a.b+c' };
  const page = { protocol: 'https:', host: 'meet.example' };
  const query = 'roomId=abc-defg-hij&userId=u+1&token=a.b%2Bc';

  it("adds the query to a node's URL, keeping one it has and replacing stale parameters", () => {
    expect(signalingUrlAt('ws://127.0.0.1:8082/ws', params, page)).toBe(
      `ws://127.0.0.1:8082/ws?${query}`,
    );
    expect(signalingUrlAt('wss://meet.example/node/2/ws?shard=b#x', params, page)).toBe(
      `wss://meet.example/node/2/ws?shard=b&${query}`,
    );
    expect(signalingUrlAt('wss://meet.example/ws?token=old&userId=u9', params, page)).toBe(
      'wss://meet.example/ws?token=a.b%2Bc&userId=u+1&roomId=abc-defg-hij',
    );
  });

  it('reads a path or an http(s) URL as a WebSocket URL; null is /ws on the page origin', () => {
    expect(signalingUrlAt('/node/2/ws', params, page)).toBe(
      `wss://meet.example/node/2/ws?${query}`,
    );
    expect(signalingUrlAt('http://10.0.0.2:8000/ws', params, page)).toBe(
      `ws://10.0.0.2:8000/ws?${query}`,
    );
    expect(signalingUrlAt(null, params, page)).toBe(signalingUrl(params, page));
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
