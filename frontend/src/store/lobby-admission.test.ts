// Hosts and moderators answering the waiting room (decision 59): the list from the server's
// `lobby_waiting`, and admitting or turning people away over REST.
import { beforeEach, describe, expect, it } from 'vitest';
import type { LobbyWaiter } from '@/api';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { resetSession, signInAs } from '@/test/session';
import { admitEveryone, admitWaiting, denyWaiting } from './lobby-admission';
import { meetingStore } from './meeting';
import { applyServerEvent, initialMeetingState } from './meeting-state';
import { uiStore } from './ui-store';

const budi: LobbyWaiter = { user_id: 'u-budi', name: 'Budi', since: '2026-12-01T09:00:00Z' };
const citra: LobbyWaiter = { user_id: 'u-citra', name: 'Citra', since: '2026-12-01T09:01:00Z' };

beforeEach(() => {
  resetSession();
  signInAs();
  meetingStore.setState(
    { ...initialMeetingState(), roomId: 'room-1', myRole: 'host', lobby: [budi, citra] },
    true,
  );
  uiStore.setState({ toasts: [] });
});

describe('the waiting list', () => {
  it('is the server’s latest list, whole', () => {
    const state = initialMeetingState();
    const changes = applyServerEvent(state, {
      type: 'lobby_waiting',
      data: { waiting: [budi, citra] },
    });
    expect(changes).toEqual({ lobby: [budi, citra] });
    expect(
      applyServerEvent(
        { ...state, lobby: [budi] },
        {
          type: 'lobby_waiting',
          data: { waiting: [] },
        },
      ),
    ).toEqual({ lobby: [] });
  });
});

describe('answering', () => {
  it('admits one person: the server is asked and they leave the list at once', async () => {
    const server = fakeApi({ 'POST /rooms/room-1/lobby/u-budi/admit': json(204) });
    await admitWaiting('u-budi');
    expect(server.called('POST /rooms/room-1/lobby/u-budi/admit')).toHaveLength(1);
    expect(meetingStore.getState().lobby).toEqual([citra]);
  });

  it('denies one person', async () => {
    const server = fakeApi({ 'POST /rooms/room-1/lobby/u-citra/deny': json(204) });
    await denyWaiting('u-citra');
    expect(server.called('POST /rooms/room-1/lobby/u-citra/deny')).toHaveLength(1);
    expect(meetingStore.getState().lobby).toEqual([budi]);
  });

  it('admits everyone', async () => {
    fakeApi({ 'POST /rooms/room-1/lobby/admit-all': json(200, { admitted: ['u-budi'] }) });
    await admitEveryone();
    expect(meetingStore.getState().lobby).toEqual([]);
  });

  it('lets a person go quietly when another host answered first', async () => {
    fakeApi({
      'POST /rooms/room-1/lobby/u-budi/admit': apiError(404, 'not_waiting', 'Not waiting.'),
    });
    await admitWaiting('u-budi');
    expect(meetingStore.getState().lobby).toEqual([citra]);
    expect(uiStore.getState().toasts).toEqual([]);
  });

  it('puts the person back and says why when the answer failed', async () => {
    fakeApi({
      'POST /rooms/room-1/lobby/u-budi/admit': apiError(403, 'not_allowed', 'Not allowed.'),
    });
    await admitWaiting('u-budi');
    expect(meetingStore.getState().lobby).toEqual([budi, citra]);
    expect(uiStore.getState().toasts[0]).toMatchObject({
      tone: 'error',
      description: 'Not allowed.',
    });
  });
});
