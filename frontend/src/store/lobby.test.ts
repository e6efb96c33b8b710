import { beforeEach, describe, expect, it } from 'vitest';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { aParticipant, aRoom } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';
import {
  enterLobby,
  joinRoom,
  joinStarted,
  joined,
  leaveRoom,
  leftRoom,
  lookUpRoom,
  resetRoomStore,
  lobbyStore,
  toggleCamera,
  toggleMic,
} from './lobby';
import { resetRoomsStore, roomsStore } from './rooms-list';

beforeEach(() => {
  resetRoomStore();
  resetRoomsStore();
  resetSession();
  signInAs();
});

describe('room store', () => {
  it('enters the lobby of a room with mic and camera on', () => {
    enterLobby('abc-defg-hij');
    expect(lobbyStore.getState()).toMatchObject({
      code: 'abc-defg-hij',
      phase: 'lobby',
      micEnabled: true,
      cameraEnabled: true,
      room: null,
    });
  });

  it('keeps device choices when the same lobby is opened again', () => {
    enterLobby('abc-defg-hij');
    toggleMic();
    enterLobby('abc-defg-hij');
    expect(lobbyStore.getState().micEnabled).toBe(false);
  });

  it('starts fresh for another room or after leaving', () => {
    enterLobby('abc-defg-hij');
    toggleCamera();
    enterLobby('xyz-abcd-efg');
    expect(lobbyStore.getState()).toMatchObject({ code: 'xyz-abcd-efg', cameraEnabled: true });

    toggleCamera();
    leftRoom();
    enterLobby('xyz-abcd-efg');
    expect(lobbyStore.getState()).toMatchObject({ phase: 'lobby', cameraEnabled: true });
  });

  it('moves through joining to joined', () => {
    enterLobby('abc-defg-hij');
    joinStarted();
    expect(lobbyStore.getState().phase).toBe('joining');
    joined();
    expect(lobbyStore.getState().phase).toBe('joined');
  });
});

describe('looking up the room of a link', () => {
  it('finds the room', async () => {
    fakeApi({ 'GET /rooms/abc-defg-hij': json(200, aRoom()) });
    enterLobby('abc-defg-hij');
    await lookUpRoom();
    expect(lobbyStore.getState()).toMatchObject({ lookup: 'found', room: { name: 'Weekly sync' } });
  });

  it('tells a code without a room from a failure', async () => {
    fakeApi({ 'GET /rooms/abc-defg-hij': apiError(404, 'room_not_found', 'No such room.') });
    enterLobby('abc-defg-hij');
    await lookUpRoom();
    expect(lobbyStore.getState().lookup).toBe('not-found');

    fakeApi({ 'GET /rooms/abc-defg-hij': apiError(503, 'unavailable', 'Down.') });
    await lookUpRoom();
    expect(lobbyStore.getState()).toMatchObject({ lookup: 'failed', lookupError: 'Down.' });
  });

  it('does nothing outside a lobby', async () => {
    const server = fakeApi();
    await lookUpRoom();
    expect(await joinRoom()).toBe(false);
    await leaveRoom();
    expect(server.requests).toHaveLength(0);
  });
});

describe('joining', () => {
  it('joins with the password and shows the room as joined', async () => {
    const room = aRoom({ my_role: 'participant', participant_count: 2 });
    const server = fakeApi({
      'POST /rooms/abc-defg-hij/join': json(200, {
        room,
        participant: aParticipant({ role: 'participant' }),
      }),
    });
    enterLobby('abc-defg-hij');
    expect(await joinRoom('secret')).toBe(true);
    expect(server.called('POST /rooms/abc-defg-hij/join')[0]?.body).toEqual({
      password: 'secret',
    });
    expect(lobbyStore.getState()).toMatchObject({
      phase: 'joined',
      participant: { role: 'participant' },
    });
    expect(roomsStore.getState().mine.items[0]?.participant_count).toBe(2);
  });

  it('counts wrong passwords and stays in the lobby', async () => {
    fakeApi({
      'POST /rooms/abc-defg-hij/join': apiError(403, 'wrong_password', 'Not right.'),
    });
    enterLobby('abc-defg-hij');
    await joinRoom('nope');
    await joinRoom('nope again');
    expect(lobbyStore.getState()).toMatchObject({
      phase: 'lobby',
      joinRefusal: { code: 'wrong_password', message: 'Not right.' },
      wrongPasswords: 2,
    });
  });

  it('marks the room ended when the server says so', async () => {
    fakeApi({
      'GET /rooms/abc-defg-hij': json(200, aRoom()),
      'POST /rooms/abc-defg-hij/join': apiError(409, 'room_ended', 'This meeting has ended.'),
    });
    enterLobby('abc-defg-hij');
    await lookUpRoom();
    await joinRoom();
    expect(lobbyStore.getState().room?.status).toBe('ended');
  });

  it('keeps a full room as it is', async () => {
    fakeApi({
      'GET /rooms/abc-defg-hij': json(200, aRoom()),
      'POST /rooms/abc-defg-hij/join': apiError(409, 'room_full', 'This meeting is full.'),
    });
    enterLobby('abc-defg-hij');
    await lookUpRoom();
    await joinRoom();
    expect(lobbyStore.getState()).toMatchObject({
      room: { status: 'active' },
      joinRefusal: { code: 'room_full' },
      wrongPasswords: 0,
    });
  });
});

describe('leaving', () => {
  it('leaves, also when the server says the user was out already', async () => {
    fakeApi({ 'POST /rooms/abc-defg-hij/leave': json(204) });
    enterLobby('abc-defg-hij');
    joined();
    await leaveRoom();
    expect(lobbyStore.getState().phase).toBe('left');

    fakeApi({
      'POST /rooms/abc-defg-hij/leave': apiError(409, 'not_in_room', 'You are not in it.'),
    });
    enterLobby('abc-defg-hij');
    joined();
    await leaveRoom();
    expect(lobbyStore.getState().phase).toBe('left');
  });

  it('reports other failures', async () => {
    fakeApi({ 'POST /rooms/abc-defg-hij/leave': apiError(503, 'unavailable', 'Down.') });
    enterLobby('abc-defg-hij');
    joined();
    await expect(leaveRoom()).rejects.toThrow('Down.');
    expect(lobbyStore.getState().phase).toBe('joined');
  });
});
