import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { aRoomState, fakeSignaling } from '@/test/meeting';
import { resetSession, signInAs } from '@/test/session';
import { connectMeeting, meetingStore, resetMeetingStore, useSignalingFactory } from './meeting';

// The meeting store asks the API where the room's socket is before every connect.

const ROUTE = 'GET /rooms/room-1/signaling';
const NODE_1 = { url: 'ws://127.0.0.1:8081/ws', node: 'n1' };
const NODE_2 = { url: 'wss://meet.example.com/node/2/ws', node: 'n2' };
const QUERY = 'roomId=room-1&userId=u-ayu&token=access-1';

let signaling: ReturnType<typeof fakeSignaling>;

beforeEach(() => {
  resetSession();
  signInAs();
  signaling = fakeSignaling({ locate: true });
});

afterEach(() => {
  vi.useRealTimers();
  resetMeetingStore();
  useSignalingFactory(null);
});

function serverWith(...places: { url: string | null; node: string | null }[]) {
  let next = 0;
  return fakeApi({
    'GET /rooms/room-1/messages': json(200, { items: [], next_cursor: null }),
    [ROUTE]: () => json(200, places[Math.min(next++, places.length - 1)]),
  });
}

describe('meeting store across nodes', () => {
  it("opens the socket at the node the API names, with the signed-in user's query", async () => {
    const api = serverWith(NODE_1);
    connectMeeting('room-1', 'u-ayu');
    await expect.poll(() => signaling.sockets.length).toBe(1);
    expect(api.called(ROUTE)).toHaveLength(1);
    expect(signaling.latest().url).toBe(`${NODE_1.url}?${QUERY}`);
    signaling.latest().open();
    expect(meetingStore.getState().connection).toBe('open');
  });

  it('opens /ws on the page origin when the API names no node', async () => {
    serverWith({ url: null, node: null });
    connectMeeting('room-1', 'u-ayu');
    await expect.poll(() => signaling.sockets.length).toBe(1);
    expect(signaling.latest().url).toBe(`ws://${window.location.host}/ws?${QUERY}`);
  });

  it('follows a room that moved (4421) to its new node without showing a reconnect', async () => {
    const api = serverWith(NODE_1, NODE_2);
    connectMeeting('room-1', 'u-ayu');
    await expect.poll(() => signaling.sockets.length).toBe(1);
    signaling.latest().open();
    signaling.latest().drop(4421);
    expect(meetingStore.getState().connection).toBe('connecting');
    await expect.poll(() => signaling.sockets.length).toBe(2);
    expect(api.called(ROUTE)).toHaveLength(2);
    expect(signaling.latest().url).toBe(`${NODE_2.url}?${QUERY}`);
  });

  it('reads the chat said meanwhile after a move to another node (the old one drained)', async () => {
    const api = serverWith(NODE_1, NODE_2);
    connectMeeting('room-1', 'u-ayu');
    await expect.poll(() => signaling.sockets.length).toBe(1);
    signaling.latest().open();
    signaling.latest().receive(aRoomState());
    await expect.poll(() => meetingStore.getState().chatHistory).toBe('loaded');
    signaling.latest().drop(4421);
    await expect.poll(() => signaling.sockets.length).toBe(2);
    signaling.latest().open();
    signaling.latest().receive(aRoomState());
    await expect.poll(() => api.called('GET /rooms/room-1/messages')).toHaveLength(2);
  });

  it('treats a room the API does not know (404) as a room that does not exist', async () => {
    fakeApi({
      'GET /rooms/room-1/messages': json(200, { items: [], next_cursor: null }),
      [ROUTE]: apiError(404, 'room_not_found', 'No such room.'),
    });
    connectMeeting('room-1', 'u-ayu');
    await expect.poll(() => meetingStore.getState().connection).toBe('closed');
    expect(meetingStore.getState().outcome).toBe('not-found');
    expect(signaling.sockets).toHaveLength(0);
  });

  it('waits and asks again while no node takes the meeting (503)', async () => {
    vi.useFakeTimers();
    const api = serverWith(NODE_2);
    api.on(ROUTE, apiError(503, 'no_node', 'No node takes new meetings now.'));
    connectMeeting('room-1', 'u-ayu');
    await vi.advanceTimersByTimeAsync(0);
    expect(meetingStore.getState().connection).toBe('reconnecting');
    api.on(ROUTE, json(200, NODE_2));
    await vi.advanceTimersByTimeAsync(500);
    expect(api.called(ROUTE)).toHaveLength(2);
    expect(signaling.latest().url).toBe(`${NODE_2.url}?${QUERY}`);
  });
});
