// Waiting in a room's waiting room (decision 59), as the store goes through it.
import { beforeEach, describe, expect, it } from 'vitest';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { aParticipant, aRoom } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';
import {
  cancelWaiting,
  checkLobbyPlace,
  enterLobby,
  joinRoom,
  lobbyStore,
  lookUpRoom,
  resetRoomStore,
} from './lobby';
import { applyUserEvent } from './notifications';

const CODE = 'abc-defg-hij';
const JOIN = `POST /rooms/${CODE}/join`;
const PLACE = `GET /rooms/${CODE}/lobby/me`;
const SINCE = '2026-12-01T09:00:00+00:00';
const room = aRoom({ my_role: null });
const waitingReply = () => json(202, { status: 'waiting', room, since: SINCE });
const seatReply = () =>
  json(200, { room: { ...room, my_role: 'participant' }, participant: aParticipant() });

beforeEach(() => {
  resetRoomStore();
  resetSession();
  signInAs();
  enterLobby(CODE);
});

describe('knocking', () => {
  it('waits when the join answers 202, with the time of the knock', async () => {
    fakeApi({ [JOIN]: waitingReply() });
    expect(await joinRoom('secret')).toBe(false);
    expect(lobbyStore.getState()).toMatchObject({
      phase: 'waiting',
      waitingSince: SINCE,
      participant: null,
      joinRefusal: null,
    });
  });

  it('joins once the user channel says a host let them in', async () => {
    const server = fakeApi({ [JOIN]: waitingReply() });
    await joinRoom('secret');
    server.on(JOIN, seatReply());
    applyUserEvent({ type: 'lobby_admitted', data: { room_id: 'another-room', by: 'h' } });
    expect(server.called(JOIN)).toHaveLength(1); // another room's answer changes nothing
    applyUserEvent({ type: 'lobby_admitted', data: { room_id: room.id, by: 'h' } });
    await expect.poll(() => lobbyStore.getState().phase).toBe('joined');
    // The password given with the knock went with the seat's join too.
    expect(server.called(JOIN)[1]?.body).toEqual({ password: 'secret' });
  });

  it('says so clearly when turned away', async () => {
    fakeApi({ [JOIN]: waitingReply() });
    await joinRoom();
    applyUserEvent({ type: 'lobby_denied', data: { room_id: room.id, retry_after: 60 } });
    const { phase, joinRefusal } = lobbyStore.getState();
    expect(phase).toBe('lobby');
    expect(joinRefusal?.code).toBe('lobby_denied');
    expect(joinRefusal?.message).toMatch(/did not let you in.*ask again in 60 seconds/);
  });
});

describe('checking the place while waiting', () => {
  it('joins when admitted, even though the pushed answer was missed', async () => {
    const server = fakeApi({ [JOIN]: waitingReply(), [PLACE]: json(200, { status: 'admitted' }) });
    await joinRoom();
    server.on(JOIN, seatReply());
    await checkLobbyPlace();
    expect(lobbyStore.getState().phase).toBe('joined');
  });

  it('hears of a denial it missed', async () => {
    fakeApi({
      [JOIN]: waitingReply(),
      [PLACE]: json(200, { status: 'denied', retry_after: 42 }),
    });
    await joinRoom();
    await checkLobbyPlace();
    expect(lobbyStore.getState().joinRefusal?.message).toContain('42 seconds');
  });

  it('knocks again with the same password when the place lapsed', async () => {
    const server = fakeApi({ [JOIN]: waitingReply(), [PLACE]: json(200, { status: 'none' }) });
    await joinRoom('secret');
    await checkLobbyPlace();
    expect(server.called(JOIN).map((request) => request.body)).toEqual([
      { password: 'secret' },
      { password: 'secret' },
    ]);
    expect(lobbyStore.getState().phase).toBe('waiting');
  });

  it('keeps waiting while the server keeps the place', async () => {
    const server = fakeApi({
      [JOIN]: waitingReply(),
      [PLACE]: json(200, { status: 'waiting', since: SINCE }),
    });
    await joinRoom();
    await checkLobbyPlace();
    expect(server.called(JOIN)).toHaveLength(1);
    expect(lobbyStore.getState()).toMatchObject({ phase: 'waiting', waitingSince: SINCE });
  });
});

describe('a reload and giving up', () => {
  it('comes back to waiting after a reload', async () => {
    fakeApi({
      [`GET /rooms/${CODE}`]: json(200, room),
      [PLACE]: json(200, { status: 'waiting', since: SINCE }),
    });
    await lookUpRoom();
    expect(lobbyStore.getState()).toMatchObject({
      lookup: 'found',
      phase: 'waiting',
      waitingSince: SINCE,
    });
  });

  it('stays on the pre-join screen when the server knows of no waiting', async () => {
    fakeApi({
      [`GET /rooms/${CODE}`]: json(200, room),
      [PLACE]: apiError(503, 'unavailable', 'Down.'),
    });
    await lookUpRoom();
    expect(lobbyStore.getState()).toMatchObject({ lookup: 'found', phase: 'lobby' });
  });

  it('cancels: the server hears it and the screen goes back to Join', async () => {
    const server = fakeApi({
      [JOIN]: waitingReply(),
      [`DELETE /rooms/${CODE}/lobby/me`]: json(204),
    });
    await joinRoom();
    await cancelWaiting();
    expect(server.called(`DELETE /rooms/${CODE}/lobby/me`)).toHaveLength(1);
    expect(lobbyStore.getState()).toMatchObject({ phase: 'lobby', waitingSince: null });
  });
});
