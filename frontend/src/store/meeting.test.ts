import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReceivedRequest } from '@/test/fake-api';
import { fakeApi, json } from '@/test/fake-api';
import { aLiveParticipant, aRoomState, fakeSignaling } from '@/test/meeting';
import { resetSession, signInAs } from '@/test/session';
import {
  connectMeeting,
  disconnectMeeting,
  endMeetingForAll,
  leaveMeeting,
  meetingStore,
  muteParticipant,
  raiseHand,
  removeParticipant,
  resetMeetingStore,
  selectCanModerate,
  selectMe,
  sendChat,
  setMuted,
  setVideo,
  useSignalingFactory,
} from './meeting';

const history = {
  items: [
    {
      id: 'm2',
      user: { id: 'u-budi', first_name: 'Budi', last_name: '', avatar_url: null },
      message: 'second',
      message_type: 'text',
      created_at: '2026-11-24T14:00:02Z',
    },
    {
      id: 'm1',
      user: null,
      message: 'first',
      message_type: 'system',
      created_at: '2026-11-24T14:00:01Z',
    },
  ],
  next_cursor: null,
};

let signaling: ReturnType<typeof fakeSignaling>;

beforeEach(() => {
  resetSession();
  signInAs();
  fakeApi({ 'GET /rooms/room-1/messages': json(200, history) });
  signaling = fakeSignaling();
});

afterEach(() => {
  vi.useRealTimers();
  resetMeetingStore();
  useSignalingFactory(null);
});

async function inMeeting(role: 'host' | 'participant' = 'host') {
  connectMeeting('room-1', 'u-ayu');
  signaling.latest().open();
  signaling.latest().receive(
    aRoomState(
      [
        aLiveParticipant({ role }),
        aLiveParticipant({ user_id: 'u-budi', name: 'Budi', role: 'participant' }),
      ],
      {
        role,
      },
    ),
  );
  await Promise.resolve();
  return signaling.latest();
}

describe('meeting store', () => {
  it('connects with the signed-in token and loads the chat history oldest first', async () => {
    connectMeeting('room-1', 'u-ayu');
    expect(meetingStore.getState().connection).toBe('connecting');
    expect(signaling.latest().url).toContain('token=access-1');
    signaling.latest().open();
    expect(meetingStore.getState().connection).toBe('open');
    await expect.poll(() => meetingStore.getState().chatHistory).toBe('loaded');
    expect(meetingStore.getState().chat.map((line) => line.text)).toEqual(['first', 'second']);
  });

  it('knows who I am and whether I may moderate', async () => {
    await inMeeting('host');
    const state = meetingStore.getState();
    expect(selectMe(state)?.name).toBe('Ayu Lestari');
    expect(selectCanModerate(state)).toBe(true);
    expect(selectCanModerate({ ...state, myRole: 'participant' })).toBe(false);
  });

  it('shows my chat line at once and gives it the server id on ack', async () => {
    const socket = await inMeeting();
    const sent = sendChat('  <b>x</b> ');
    expect(meetingStore.getState().chat.at(-1)).toMatchObject({ text: '<b>x</b>', pending: true });
    expect(socket.lastSent()).toEqual({ type: 'chat', id: '1', data: { text: '<b>x</b>' } });
    socket.receive({
      type: 'ack',
      id: '1',
      data: { message_id: 'm9', created_at: '2026-11-24T15:00:00Z' },
    });
    await sent;
    socket.receive({
      type: 'chat',
      data: {
        message_id: 'm9',
        created_at: '2026-11-24T15:00:00Z',
        author: { id: 'u-ayu', name: 'Ayu' },
        text: '<b>x</b>',
      },
    });
    const mine = meetingStore.getState().chat.filter((line) => line.text === '<b>x</b>');
    expect(mine).toEqual([expect.objectContaining({ id: 'm9', pending: false })]);
  });

  it('marks a refused chat line as failed, and sends nothing for blank text', async () => {
    const socket = await inMeeting();
    await sendChat('   ');
    expect(socket.sent).toEqual([]);
    const sent = sendChat('hello');
    socket.receive({
      type: 'error',
      id: '1',
      data: { code: 'not_allowed', message: 'Chat is off.' },
    });
    await sent;
    expect(meetingStore.getState().chat.at(-1)).toMatchObject({
      failed: 'Chat is off.',
      pending: false,
    });
  });

  it('sends media flags, hand and moderation requests', async () => {
    const socket = await inMeeting();
    const requests = [
      setMuted(true),
      setVideo(false),
      raiseHand(true),
      muteParticipant('u-budi'),
      removeParticipant('u-budi'),
      endMeetingForAll(),
    ];
    expect(socket.sent.map(({ type, data }) => ({ type, data }))).toEqual([
      { type: 'mute', data: { muted: true } },
      { type: 'video', data: { enabled: false } },
      { type: 'raise_hand', data: { raised: true } },
      { type: 'mute_participant', data: { userId: 'u-budi' } },
      { type: 'remove_participant', data: { userId: 'u-budi' } },
      { type: 'end_room', data: undefined },
    ]);
    socket.sent.forEach((message) => {
      socket.receive({ type: 'ack', id: message.id!, data: {} });
    });
    await Promise.all(requests);
  });

  it('reports reconnecting, and open again once back', async () => {
    vi.useFakeTimers();
    const socket = await inMeeting();
    socket.drop(1006);
    expect(meetingStore.getState().connection).toBe('reconnecting');
    vi.advanceTimersByTime(500);
    expect(signaling.sockets).toHaveLength(2);
    signaling.latest().open();
    expect(meetingStore.getState()).toMatchObject({ connection: 'open', outcome: null });
    vi.useRealTimers();
  });

  it('fetches the lines said while it was reconnecting, once the room state is back', async () => {
    const line = (id: string, second: number) => ({
      ...history.items[0],
      id,
      message: id,
      created_at: `2026-11-24T14:00:${String(second).padStart(2, '0')}Z`,
    });
    const pages: Record<string, unknown> = {
      '': { items: [line('m5', 5), line('m4', 4)], next_cursor: 'c4' },
      c4: { items: [line('m3', 3), history.items[0]], next_cursor: 'c2' }, // m2 is known
    };
    let reconnected = false;
    const api = fakeApi({
      'GET /rooms/room-1/messages': (request: ReceivedRequest) =>
        json(200, reconnected ? pages[request.query.get('before') ?? ''] : history),
    });
    vi.useFakeTimers();
    const socket = await inMeeting();
    await vi.waitFor(() => {
      expect(meetingStore.getState().chatHistory).toBe('loaded');
    });
    socket.receive(aRoomState()); // a room_state without a reconnect (join_room) reads nothing
    expect(api.called('GET /rooms/room-1/messages')).toHaveLength(1);

    socket.drop(1013); // the server lost its bus: try again later
    expect(meetingStore.getState().connection).toBe('reconnecting');
    reconnected = true;
    vi.advanceTimersByTime(500);
    signaling.latest().open();
    expect(api.called('GET /rooms/room-1/messages')).toHaveLength(1); // not before room_state
    signaling.latest().receive(aRoomState());
    await vi.waitFor(() => {
      expect(meetingStore.getState().chat.map((l) => l.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    });
    // Read back until a known line: two pages, the second from the first's cursor.
    const reads = api.called('GET /rooms/room-1/messages').slice(1);
    expect(reads.map((r) => r.query.get('before'))).toEqual([null, 'c4']);
  });

  it('shows a line saved but not delivered live as sent, not as failed', async () => {
    const socket = await inMeeting();
    const sent = sendChat('hello');
    socket.receive({
      type: 'error',
      id: '1',
      data: {
        code: 'not_delivered',
        message: 'The message was saved but could not be delivered live.',
        message_id: 'm7',
        created_at: '2026-11-24T15:00:00Z',
      },
    });
    await sent;
    expect(meetingStore.getState().chat.at(-1)).toMatchObject({
      id: 'm7',
      text: 'hello',
      pending: false,
      failed: null,
    });
  });

  it('tells the host who ended the meeting that they did', async () => {
    const socket = await inMeeting();
    socket.receive({ type: 'room_ended', data: { by: 'u-ayu' } });
    socket.drop(4410);
    expect(meetingStore.getState()).toMatchObject({
      outcome: 'ended-by-you',
      connection: 'closed',
    });
  });

  it('knows it ended the meeting once the server acknowledged end_room', async () => {
    const socket = await inMeeting();
    const ending = endMeetingForAll();
    const request = socket.sent.find((message) => message.type === 'end_room')!;
    socket.receive({ type: 'ack', id: request.id!, data: {} });
    await ending;
    expect(meetingStore.getState().outcome).toBe('ended-by-you');
  });

  it('ends with "ended" or "removed" from the server', async () => {
    let socket = await inMeeting();
    socket.receive({ type: 'room_ended', data: { by: 'u-budi' } });
    socket.drop(4410);
    expect(meetingStore.getState()).toMatchObject({ outcome: 'ended', connection: 'closed' });

    socket = await inMeeting('participant');
    socket.receive({ type: 'removed', data: { by: 'u-budi' } });
    socket.drop(4403);
    expect(meetingStore.getState()).toMatchObject({ outcome: 'removed', connection: 'closed' });
  });

  it('leaves through the socket', async () => {
    const socket = await inMeeting();
    const left = leaveMeeting();
    expect(socket.lastSent()).toMatchObject({ type: 'leave_room' });
    socket.drop(1000);
    await left;
    expect(meetingStore.getState()).toMatchObject({ outcome: 'left', connection: 'closed' });
  });

  it('refuses requests once disconnected', async () => {
    await inMeeting();
    disconnectMeeting();
    await expect(setMuted(true)).rejects.toThrow('Not connected');
  });
});
