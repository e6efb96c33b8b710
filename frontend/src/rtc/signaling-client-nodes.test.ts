import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NETWORK_ERROR } from '@/api';
import { fakeSockets } from '@/test/fake-socket';
import type { SignalingStatus } from './signaling-client';
import { closeCodeOfLocateFailure, SignalingClient } from './signaling-client';
import { signalingUrl } from './signaling-url';

// Rooms served by one node among several: the client asks where before every connect
// (`locate`, the API's `GET /rooms/{id}/signaling`) and follows a room that moved (4421).

const NODE_1 = 'wss://meet.example.com/node/1/ws';
const NODE_2 = 'wss://meet.example.com/node/2/ws';
const QUERY = 'roomId=abc-defg-hij&userId=u1&token=tok';
const NO_NODE = new ApiError(503, 'no_node', 'No node takes new meetings now; try again shortly.');

function setup(locate: () => Promise<string | null>) {
  const factory = fakeSockets();
  const statuses: SignalingStatus[] = [];
  const client = new SignalingClient({
    roomId: 'abc-defg-hij',
    userId: 'u1',
    getToken: () => 'tok',
    createSocket: factory.createSocket,
    locate,
    random: () => 0,
  });
  client.onStatus((status) => statuses.push(status));
  client.connect();
  return { client, statuses, ...factory };
}

/** Answers `locate` with each of `places` in turn, then the last one again. */
function answers(...places: (string | null | Error)[]) {
  let next = 0;
  return vi.fn(() => {
    const place = places[Math.min(next++, places.length - 1)] ?? null;
    return place instanceof Error ? Promise.reject(place) : Promise.resolve(place);
  });
}

/** Lets `locate`'s answer arrive (promise callbacks), moving no time. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SignalingClient across nodes', () => {
  it('asks where the room is, then opens the socket there with the query added', async () => {
    const locate = answers(NODE_2);
    const { sockets, latest, client } = setup(locate);
    expect(sockets).toHaveLength(0);
    expect(client.status).toEqual({ state: 'connecting' });
    await settle();
    expect(locate).toHaveBeenCalledTimes(1);
    expect(latest().url).toBe(`${NODE_2}?${QUERY}`);
    latest().open();
    expect(client.status).toEqual({ state: 'open' });
  });

  it('opens /ws on the page origin when the server names no node (one process)', async () => {
    const { latest } = setup(answers(null));
    await settle();
    const params = { roomId: 'abc-defg-hij', userId: 'u1', token: 'tok' };
    expect(latest().url).toBe(signalingUrl(params));
    expect(latest().url).toMatch(/^wss?:\/\/[^/]+\/ws\?roomId=abc-defg-hij&userId=u1&token=tok$/);
  });

  it('asks again before reconnecting after a drop', async () => {
    const locate = answers(NODE_1, NODE_2);
    const { latest, sockets } = setup(locate);
    await settle();
    latest().open();
    latest().drop(1006);
    await vi.advanceTimersByTimeAsync(250);
    expect(locate).toHaveBeenCalledTimes(2);
    expect(sockets.map((socket) => socket.url)).toEqual([
      `${NODE_1}?${QUERY}`,
      `${NODE_2}?${QUERY}`,
    ]);
  });

  it('on 4421 asks again and connects to the new node at once, without reconnecting', async () => {
    const locate = answers(NODE_1, NODE_2);
    const { latest, sockets, statuses, client } = setup(locate);
    await settle();
    latest().open(); // the server accepts the socket before it looks where the room is
    latest().drop(4421);
    await settle();
    expect(locate).toHaveBeenCalledTimes(2);
    expect(sockets).toHaveLength(2);
    expect(latest().url).toBe(`${NODE_2}?${QUERY}`);
    latest().open();
    expect(client.status).toEqual({ state: 'open' });
    expect(statuses.map((status) => status.state)).toEqual([
      'connecting',
      'open',
      'connecting',
      'open',
    ]);
  });

  it('falls back to the backoff after three 4421 in a row, and starts over after another close', async () => {
    const { latest, sockets, statuses } = setup(answers(NODE_1));
    await settle();
    for (let redirect = 1; redirect <= 3; redirect++) {
      latest().open();
      latest().drop(4421);
      await settle();
      expect(sockets).toHaveLength(redirect + 1);
    }
    const waits: number[] = [];
    for (const socketsAfter of [5, 6]) {
      latest().open();
      latest().drop(4421);
      const status = statuses.at(-1);
      if (status?.state !== 'reconnecting') {
        throw new Error('expected reconnecting');
      }
      expect(status.lastCode).toBe(4421);
      waits.push(status.delayMs);
      await vi.advanceTimersByTimeAsync(status.delayMs - 1);
      expect(sockets).toHaveLength(socketsAfter - 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(sockets).toHaveLength(socketsAfter);
    }
    expect(waits).toEqual([250, 500]); // growing: half of 500 ms, then of 1 s (random 0)
    latest().open();
    latest().drop(1006); // not misdirected: the next 4421 is followed at once again
    const dropped = statuses.at(-1);
    await vi.advanceTimersByTimeAsync(dropped?.state === 'reconnecting' ? dropped.delayMs : 0);
    latest().open();
    latest().drop(4421);
    await settle();
    expect(sockets).toHaveLength(8);
    expect(statuses.at(-1)).toEqual({ state: 'connecting' });
  });

  it('follows a socket the server took and then moved (a drain) at once, whatever came before', async () => {
    const { latest, sockets, statuses } = setup(answers(NODE_1));
    await settle();
    for (let redirect = 1; redirect <= 2; redirect++) {
      latest().open();
      latest().drop(4421); // a stale answer: the room's home changed meanwhile
      await settle();
    }
    latest().open();
    latest().receive({ type: 'pong', data: {} }); // taken: in the room
    for (let move = 1; move <= 3; move++) {
      latest().drop(4421);
      await settle();
      latest().open();
    }
    expect(sockets).toHaveLength(6);
    expect(statuses.some((status) => status.state === 'reconnecting')).toBe(false);
  });

  it.each([
    ['no node takes meetings (503)', NO_NODE],
    ['no network', new ApiError(0, NETWORK_ERROR, 'Could not reach the server.')],
    ['anything else', new TypeError('Failed to fetch')],
  ])('retries with backoff when asking fails: %s', async (_, failure) => {
    const locate = answers(failure, failure, NODE_2);
    const { sockets, statuses, latest } = setup(locate);
    await settle();
    expect(sockets).toHaveLength(0);
    expect(statuses.at(-1)).toEqual({
      state: 'reconnecting',
      attempt: 1,
      delayMs: 250,
      lastCode: 1013,
    });
    await vi.advanceTimersByTimeAsync(250);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 2, delayMs: 500 });
    await vi.advanceTimersByTimeAsync(500);
    expect(locate).toHaveBeenCalledTimes(3);
    expect(latest().url).toBe(`${NODE_2}?${QUERY}`);
  });

  it.each([
    [404, 'not_found', 'not-found', 4404],
    [403, 'forbidden', 'forbidden', 4403],
    [401, 'unauthenticated', 'unauthorized', 4401],
  ])('ends on the API answering %i, as the socket would', async (status, code, reason, close) => {
    const locate = answers(new ApiError(status, code, 'No.'));
    const { sockets, client } = setup(locate);
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(0);
    expect(locate).toHaveBeenCalledTimes(1);
    expect(client.status).toEqual({ state: 'closed', reason, code: close });
  });

  it('opens nothing when closed while it asks', async () => {
    const { sockets, client } = setup(answers(NODE_1));
    client.close();
    await settle();
    expect(sockets).toHaveLength(0);
    expect(client.status).toMatchObject({ state: 'closed', reason: 'left' });
  });
});

describe('closeCodeOfLocateFailure', () => {
  it('counts 401, 403 and 404 as their close codes, and anything else as try again later', () => {
    expect(closeCodeOfLocateFailure(new ApiError(404, 'not_found', 'No.'))).toBe(4404);
    expect(closeCodeOfLocateFailure(new ApiError(401, 'unauthenticated', 'No.'))).toBe(4401);
    expect(closeCodeOfLocateFailure(new ApiError(403, 'forbidden', 'No.'))).toBe(4403);
    expect(closeCodeOfLocateFailure(NO_NODE)).toBe(1013);
    expect(closeCodeOfLocateFailure(new ApiError(429, 'rate_limited', 'Slow.'))).toBe(1013);
    expect(closeCodeOfLocateFailure(new Error('offline'))).toBe(1013);
  });
});
