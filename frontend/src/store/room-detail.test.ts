import { beforeEach, describe, expect, it } from 'vitest';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { DEFAULT_ROOM_SETTINGS, aHistoryEntry, aParticipant, aRoom, page } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';
import {
  letBackIn,
  loadRoomDetail,
  resetRoomDetailStore,
  roomDetailStore,
  updateRoomSettings,
} from './room-detail';

const AYU = { id: 'u-ayu', first_name: 'Ayu', last_name: 'Lestari', avatar_url: null };

const BAN = { user: AYU, banned_by: 'u-hana', created_at: '2026-11-20T09:30:00Z' };

const MEMBER_ROUTES = {
  'GET /rooms/room-1/participants': json(200, [aParticipant()]),
  'GET /rooms/room-1/history': json(200, page([aHistoryEntry()])),
  'GET /rooms/room-1/settings': json(200, DEFAULT_ROOM_SETTINGS),
  'GET /rooms/room-1/bans': json(200, [BAN]),
};

beforeEach(() => {
  resetSession();
  resetRoomDetailStore();
  signInAs();
});

describe('room detail', () => {
  it('loads what a member may see', async () => {
    const server = fakeApi({
      'GET /rooms/abc-defg-hij': json(200, aRoom()),
      ...MEMBER_ROUTES,
    });
    await loadRoomDetail('abc-defg-hij');
    const state = roomDetailStore.getState();
    expect(state).toMatchObject({ status: 'ready', settings: DEFAULT_ROOM_SETTINGS });
    expect(state.participants).toHaveLength(1);
    expect(state.history).toHaveLength(1);
    expect(server.called('GET /rooms/room-1/participants')[0]?.query.get('include_left')).toBe(
      'true',
    );
  });

  it('asks nothing more for someone who is not a member', async () => {
    const server = fakeApi({ 'GET /rooms/room-1': json(200, aRoom({ my_role: null })) });
    await loadRoomDetail('room-1');
    expect(roomDetailStore.getState()).toMatchObject({ status: 'ready', settings: null });
    expect(server.requests).toHaveLength(1);
  });

  it('tells a missing room from a failure', async () => {
    fakeApi({ 'GET /rooms/gone': apiError(404, 'room_not_found', 'No such room.') });
    await loadRoomDetail('gone');
    expect(roomDetailStore.getState().status).toBe('not-found');

    fakeApi({ 'GET /rooms/room-1': apiError(500, 'internal_error', 'Boom') });
    await loadRoomDetail('room-1');
    expect(roomDetailStore.getState().status).toBe('failed');
  });

  it('keeps the shown room while reloading it', async () => {
    fakeApi({ 'GET /rooms/room-1': json(200, aRoom({ my_role: null })) });
    await loadRoomDetail('room-1');
    const reload = loadRoomDetail('room-1');
    expect(roomDetailStore.getState()).toMatchObject({ status: 'loading', room: { id: 'room-1' } });
    await reload;
  });

  it('drops an answer for a room no longer open', async () => {
    fakeApi({
      'GET /rooms/room-1': json(200, aRoom({ my_role: null })),
      'GET /rooms/room-2': json(200, aRoom({ id: 'room-2', my_role: null })),
    });
    const first = loadRoomDetail('room-1');
    await loadRoomDetail('room-2');
    await first;
    expect(roomDetailStore.getState().room?.id).toBe('room-2');
  });
});

describe('removed people', () => {
  it('are loaded for hosts and moderators only', async () => {
    fakeApi({ 'GET /rooms/room-1': json(200, aRoom()), ...MEMBER_ROUTES });
    await loadRoomDetail('room-1');
    expect(roomDetailStore.getState().bans).toEqual([BAN]);

    const others = Object.fromEntries(
      Object.entries(MEMBER_ROUTES).filter(([route]) => !route.endsWith('/bans')),
    );
    const server = fakeApi({
      'GET /rooms/room-1': json(200, aRoom({ my_role: 'participant' })),
      ...others,
    });
    await loadRoomDetail('room-1');
    expect(roomDetailStore.getState()).toMatchObject({ status: 'ready', bans: [] });
    expect(server.called('GET /rooms/room-1/bans')).toHaveLength(0);
  });

  it('leave the list once let back in, and stay when the server refuses', async () => {
    const server = fakeApi({
      'GET /rooms/room-1': json(200, aRoom()),
      ...MEMBER_ROUTES,
      'DELETE /rooms/room-1/bans/u-ayu': apiError(403, 'not_allowed', 'Not allowed.'),
    });
    await loadRoomDetail('room-1');
    await expect(letBackIn('u-ayu')).rejects.toThrow('Not allowed.');
    expect(roomDetailStore.getState().bans).toHaveLength(1);

    server.on('DELETE /rooms/room-1/bans/u-ayu', json(204));
    await letBackIn('u-ayu');
    expect(roomDetailStore.getState().bans).toEqual([]);
    expect(server.called('DELETE /rooms/room-1/bans/u-ayu')).toHaveLength(2);
  });
});

describe('room settings', () => {
  it('applies a change at once and keeps the server copy', async () => {
    const server = fakeApi({
      'GET /rooms/room-1': json(200, aRoom()),
      ...MEMBER_ROUTES,
      'PUT /rooms/room-1/settings': json(200, { ...DEFAULT_ROOM_SETTINGS, allow_chat: false }),
    });
    await loadRoomDetail('room-1');
    const saving = updateRoomSettings({ allow_chat: false });
    expect(roomDetailStore.getState().settings?.allow_chat).toBe(false);
    await saving;
    expect(server.called('PUT /rooms/room-1/settings')[0]?.body).toEqual({ allow_chat: false });
  });

  it('moves the setting back when the server refuses', async () => {
    fakeApi({
      'GET /rooms/room-1': json(200, aRoom()),
      ...MEMBER_ROUTES,
      'PUT /rooms/room-1/settings': apiError(403, 'not_allowed', 'Not allowed.'),
    });
    await loadRoomDetail('room-1');
    await expect(updateRoomSettings({ lobby_enabled: true })).rejects.toThrow('Not allowed.');
    expect(roomDetailStore.getState().settings?.lobby_enabled).toBe(false);
  });

  it('refuses without an open room', async () => {
    await expect(updateRoomSettings({ allow_chat: true })).rejects.toThrow('No room is open.');
  });
});
