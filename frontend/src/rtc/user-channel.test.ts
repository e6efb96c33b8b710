import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UserChannelEvent } from '@/api';
import { fakeSockets } from '@/test/fake-socket';
import type { UserChannelStatus } from './user-channel';
import { UserChannelClient, userChannelUrl } from './user-channel';

function setup(overrides: Partial<ConstructorParameters<typeof UserChannelClient>[0]> = {}) {
  const sockets = fakeSockets();
  const events: UserChannelEvent[] = [];
  const statuses: UserChannelStatus[] = [];
  let token: string | null = 'token-1';
  const client = new UserChannelClient({
    getToken: () => token,
    onEvent: (event) => events.push(event),
    onStatus: (status) => statuses.push(status),
    createSocket: sockets.createSocket,
    random: () => 0,
    url: (t) => `ws://test/ws/user?token=${t}`,
    ...overrides,
  });
  return {
    client,
    sockets,
    events,
    statuses,
    setToken: (next: string | null) => {
      token = next;
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('UserChannelClient', () => {
  it('builds the URL on the page origin with the token', () => {
    expect(userChannelUrl('a b', { protocol: 'https:', host: 'meet.example' })).toBe(
      'wss://meet.example/ws/user?token=a+b',
    );
  });

  it('passes events on, ignores junk, and pings every 20 s', () => {
    const { client, sockets, events, statuses } = setup();
    client.connect();
    const socket = sockets.latest();
    expect(socket.url).toBe('ws://test/ws/user?token=token-1');
    socket.open();
    socket.onmessage?.(new MessageEvent('message', { data: 'not json' }));
    socket.onmessage?.(
      new MessageEvent('message', {
        data: JSON.stringify({ type: 'presence', data: { user_id: 'u2', presence: 'online' } }),
      }),
    );
    expect(events).toEqual([{ type: 'presence', data: { user_id: 'u2', presence: 'online' } }]);
    expect(statuses).toEqual(['connecting', 'open']);
    vi.advanceTimersByTime(20_000);
    expect(socket.sent).toEqual([{ type: 'ping' }]);
    client.close();
    expect(socket.closedWith).toBe(1000);
    expect(statuses.at(-1)).toBe('closed');
  });

  it('reconnects with backoff after a dropped connection', () => {
    const { client, sockets, statuses } = setup();
    client.connect();
    sockets.latest().open();
    sockets.latest().drop(1006);
    expect(statuses.at(-1)).toBe('reconnecting');
    expect(sockets.sockets).toHaveLength(1);
    vi.advanceTimersByTime(250); // half of the first 500 ms step, with random() = 0
    expect(sockets.sockets).toHaveLength(2);
    sockets.latest().drop(1006); // failed again before opening: the next wait doubles
    vi.advanceTimersByTime(499);
    expect(sockets.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets.sockets).toHaveLength(3);
    sockets.latest().open();
    expect(statuses.at(-1)).toBe('open');
  });

  it('renews the token after 4401 and stops when the session is over', async () => {
    const renew = vi.fn<() => Promise<string | null>>();
    const { client, sockets, setToken, statuses } = setup({ renewToken: renew });
    client.connect();
    renew.mockImplementationOnce(() => {
      setToken('token-2');
      return Promise.resolve('token-2');
    });
    sockets.latest().drop(4401);
    await vi.advanceTimersByTimeAsync(300);
    expect(sockets.latest().url).toBe('ws://test/ws/user?token=token-2');

    renew.mockResolvedValueOnce(null);
    sockets.latest().drop(4401);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets.sockets).toHaveLength(2);
    expect(statuses.at(-1)).toBe('closed');
  });

  it('does not reconnect after close()', () => {
    const { client, sockets } = setup();
    client.connect();
    client.close();
    sockets.latest().drop(1006);
    vi.advanceTimersByTime(60_000);
    expect(sockets.sockets).toHaveLength(1);
  });
});
