import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeJwt, fakeSockets } from '@/test/fake-socket';
import type { SignalingStatus } from './signaling-client';
import { SignalingClient, SignalingError } from './signaling-client';

const NOW = Date.UTC(2026, 10, 24, 14, 0, 0);

function setup(overrides: Partial<ConstructorParameters<typeof SignalingClient>[0]> = {}) {
  const factory = fakeSockets();
  const statuses: SignalingStatus[] = [];
  const client = new SignalingClient({
    roomId: 'abc-defg-hij',
    userId: 'u1',
    getToken: () => 'tok',
    createSocket: factory.createSocket,
    url: ({ roomId, userId, token }) =>
      `ws://test/ws?roomId=${roomId}&userId=${userId}&token=${token}`,
    random: () => 0.5,
    ...overrides,
  });
  client.onStatus((status) => statuses.push(status));
  client.connect();
  return { client, statuses, ...factory };
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SignalingClient', () => {
  it('connects with the room, user and token and reports open', () => {
    const { latest, client } = setup();
    expect(latest().url).toBe('ws://test/ws?roomId=abc-defg-hij&userId=u1&token=tok');
    expect(client.status).toEqual({ state: 'connecting' });
    latest().open();
    expect(client.status).toEqual({ state: 'open' });
  });

  it('resolves a request on the ack with its id and rejects on the error with its id', async () => {
    const { client, latest } = setup();
    latest().open();
    const chat = client.request({ type: 'chat', data: { text: 'Hi' } });
    const mute = client.request({ type: 'mute_participant', data: { userId: 'u2' } });
    const [chatSent, muteSent] = latest().sent;
    expect(chatSent).toEqual({ type: 'chat', id: '1', data: { text: 'Hi' } });
    expect(muteSent?.id).toBe('2');

    latest().receive({ type: 'error', id: '2', data: { code: 'not_allowed', message: 'No.' } });
    latest().receive({
      type: 'ack',
      id: '1',
      data: { message_id: 'm1', created_at: '2026-11-24T14:00:00Z' },
    });

    await expect(chat).resolves.toEqual({ message_id: 'm1', created_at: '2026-11-24T14:00:00Z' });
    await expect(mute).rejects.toMatchObject({ code: 'not_allowed', message: 'No.' });
  });

  it('rejects a request that gets no answer in time, and one sent while not open', async () => {
    const { client, latest } = setup({ ackTimeoutMs: 3000 });
    await expect(client.request({ type: 'end_room' })).rejects.toMatchObject({
      code: 'not_connected',
    });
    latest().open();
    const ended = client.request({ type: 'end_room' });
    vi.advanceTimersByTime(3000);
    await expect(ended).rejects.toBeInstanceOf(SignalingError);
    await expect(ended).rejects.toMatchObject({ code: 'timeout' });
  });

  it('gives server events to subscribers, but not answers to requests', () => {
    const { client, latest } = setup();
    const events: string[] = [];
    const stop = client.onEvent((event) => events.push(event.type));
    latest().open();
    void client.request({ type: 'join_room' }).catch(() => undefined);
    latest().receive({ type: 'ack', id: '1', data: {} });
    latest().receive({ type: 'pong', data: {} });
    latest().receive({ type: 'room_ended', data: { by: 'u9' } });
    latest().receive({ type: 'error', data: { code: 'invalid_json', message: 'Bad.' } });
    latest().onmessage?.(new MessageEvent('message', { data: 'not json' }));
    stop();
    latest().receive({ type: 'removed', data: {} });
    expect(events).toEqual(['room_ended', 'error']);
  });

  it('sends ping every 10 seconds while open, and stops when closed', () => {
    const { client, latest } = setup();
    latest().open();
    vi.advanceTimersByTime(9999);
    expect(latest().sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(latest().sent).toEqual([{ type: 'ping' }]);
    vi.advanceTimersByTime(20_000);
    expect(latest().sent).toHaveLength(3);
    client.close();
    vi.advanceTimersByTime(30_000);
    expect(latest().sent).toHaveLength(3);
    expect(latest().closedWith).toBe(1000);
  });

  it('reconnects after an abnormal close with growing, jittered, capped waits', () => {
    let random = 0;
    const { latest, sockets, statuses } = setup({ random: () => random });
    latest().open();
    const waits: number[] = [];
    for (const value of [0, 1, 0, 1, 0, 1, 0.5]) {
      random = value;
      latest().drop(1006);
      const status = statuses.at(-1);
      if (status?.state !== 'reconnecting') {
        throw new Error('expected reconnecting');
      }
      waits.push(status.delayMs);
      vi.advanceTimersByTime(status.delayMs);
    }
    // Steps 500, 1000, 2000, 4000, 8000, 10000 (cap), 10000: each wait in [step/2, step].
    expect(waits).toEqual([250, 1000, 1000, 4000, 4000, 10_000, 7500]);
    expect(sockets).toHaveLength(8);
  });

  it('drops and reopens the socket on request (media recovery), only while open', () => {
    const { client, latest, sockets, statuses } = setup();
    client.reconnect(); // not open yet: nothing to drop
    expect(sockets).toHaveLength(1);
    latest().open();
    client.reconnect();
    expect(sockets[0]?.closedWith).toBe(4000);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', lastCode: 4000 });
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
  });

  it('starts the backoff over once the server speaks on a socket again', () => {
    const { latest, statuses } = setup();
    latest().open();
    latest().drop(1006);
    vi.advanceTimersByTime(10_000);
    latest().drop(1011);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 2 });
    vi.advanceTimersByTime(10_000);
    latest().open();
    latest().receive({ type: 'pong', data: {} });
    latest().drop(4408);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1, lastCode: 4408 });
  });

  it('keeps backing off from a server that accepts sockets and then refuses them', () => {
    const { latest, statuses } = setup({ random: () => 0 });
    const waits: number[] = [];
    for (let refusal = 0; refusal < 4; refusal++) {
      latest().open(); // accepted, then closed before a word: Redis down (1013)
      latest().drop(1013);
      const status = statuses.at(-1);
      if (status?.state !== 'reconnecting') {
        throw new Error('expected reconnecting');
      }
      waits.push(status.delayMs);
      vi.advanceTimersByTime(status.delayMs);
    }
    expect(waits).toEqual([250, 500, 1000, 2000]);
  });

  it.each([
    [4401, 'unauthorized'],
    [4403, 'forbidden'],
    [4404, 'not-found'],
    [4410, 'ended'],
    [4412, 'replaced'],
    [1000, 'left'],
  ])('does not reconnect after close code %i (%s)', (code, reason) => {
    const { latest, sockets, client } = setup();
    latest().open();
    const pending = client.request({ type: 'join_room' });
    latest().drop(code);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(client.status).toEqual({ state: 'closed', reason, code });
    return expect(pending).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('reports unauthorized without opening a socket when there is no token', () => {
    const { sockets, client } = setup({ getToken: () => null });
    expect(sockets).toHaveLength(0);
    expect(client.status).toMatchObject({ state: 'closed', reason: 'unauthorized' });
  });

  it('uses the newest token when it reconnects', () => {
    let token = 'first';
    const { latest } = setup({ getToken: () => token });
    latest().open();
    token = 'second';
    latest().drop(1006);
    vi.advanceTimersByTime(10_000);
    expect(latest().url).toContain('token=second');
  });

  it('renews an expired token before reconnecting with it', async () => {
    let token = fakeJwt(NOW + 60_000);
    const renewToken = vi.fn(() => {
      token = fakeJwt(NOW + 30 * 60_000);
      return Promise.resolve(token);
    });
    const { latest } = setup({ getToken: () => token, renewToken, refreshLeadMs: 0 });
    latest().open();
    latest().drop(1006);
    vi.setSystemTime(NOW + 120_000);
    await vi.advanceTimersByTimeAsync(500);
    expect(renewToken).toHaveBeenCalledTimes(1);
    expect(latest().url).toContain(`token=${token}`);
  });

  it('renews the token in-band a minute before it expires, then again from expires_in', async () => {
    const renewToken = vi.fn(() => Promise.resolve('new-token'));
    const { latest } = setup({ getToken: () => fakeJwt(NOW + 15 * 60_000), renewToken });
    latest().open();
    await vi.advanceTimersByTimeAsync(14 * 60_000 - 1);
    expect(renewToken).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(renewToken).toHaveBeenCalledTimes(1);
    const refresh = latest().sent.find((message) => message.type === 'refresh_token');
    expect(refresh).toEqual({ type: 'refresh_token', id: '1', data: { token: 'new-token' } });
    latest().receive({ type: 'ack', id: '1', data: { expires_in: 900 } });
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    expect(renewToken).toHaveBeenCalledTimes(2);
  });

  it('tries the renewal again when it fails, while the old token holds', async () => {
    const renewToken = vi
      .fn<() => Promise<string | null>>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValue('new-token');
    const { latest } = setup({ getToken: () => fakeJwt(NOW + 2 * 60_000), renewToken });
    latest().open();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(renewToken).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(renewToken).toHaveBeenCalledTimes(2);
    expect(latest().lastSent()).toMatchObject({ type: 'refresh_token' });
  });

  it('leaves with leave_room and waits for the server to close', async () => {
    const { client, latest } = setup();
    latest().open();
    const left = client.leave();
    expect(latest().lastSent()).toMatchObject({ type: 'leave_room' });
    latest().drop(1000);
    await left;
    expect(client.status).toEqual({ state: 'closed', reason: 'left', code: 1000 });
  });

  it('closes by itself when the server does not close after leave_room', async () => {
    const { client, latest } = setup();
    latest().open();
    const left = client.leave();
    await vi.advanceTimersByTimeAsync(2000);
    await left;
    expect(latest().closedWith).toBe(1000);
    expect(client.status).toMatchObject({ state: 'closed', reason: 'left' });
  });

  it('stops a pending reconnect when closed', async () => {
    const { client, latest, sockets } = setup();
    latest().open();
    latest().drop(1006);
    await client.leave();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });
});
