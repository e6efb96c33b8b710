import { beforeEach, describe, expect, it } from 'vitest';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { aHistoryEntry, aRoom, daysFromNow, page } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';
import { resetRoomDetailStore } from './room-detail';
import {
  loadDashboard,
  loadMoreMyRooms,
  loadMyRooms,
  resetRoomsStore,
  roomsStore,
} from './rooms-list';

beforeEach(() => {
  resetSession();
  resetRoomsStore();
  resetRoomDetailStore();
  signInAs();
});

describe('dashboard lists', () => {
  it('loads rooms, upcoming meetings (soonest first, active only) and history', async () => {
    const soon = aRoom({ id: 'soon', scheduled_at: daysFromNow(1) });
    const later = aRoom({ id: 'later', scheduled_at: daysFromNow(3) });
    const server = fakeApi({
      'GET /rooms': (request) =>
        request.query.get('upcoming') === 'true'
          ? json(200, page([later, soon]))
          : json(200, page([aRoom()], 1)),
      'GET /rooms/history': json(200, page([aHistoryEntry()])),
    });
    await loadDashboard();
    const state = roomsStore.getState();
    expect(state.mine).toMatchObject({ status: 'ready', total: 1 });
    expect(state.upcoming.items.map((room) => room.id)).toEqual(['soon', 'later']);
    expect(state.history.items).toHaveLength(1);
    const upcomingQuery = server
      .called('GET /rooms')
      .map((request) => request.query.toString())
      .find((query) => query.includes('upcoming'));
    expect(upcomingQuery).toBe('upcoming=true&status=active&limit=20');
  });

  it('keeps the error when a list cannot load', async () => {
    fakeApi({ 'GET /rooms': apiError(500, 'internal_error', 'Boom') });
    await loadMyRooms();
    expect(roomsStore.getState().mine).toMatchObject({ status: 'failed', items: [] });
  });

  it('appends the next page of rooms', async () => {
    const server = fakeApi({
      'GET /rooms': (request) =>
        request.query.get('offset') === '1'
          ? json(200, page([aRoom({ id: 'second' })], 2))
          : json(200, page([aRoom({ id: 'first' })], 2)),
    });
    await loadMyRooms();
    await loadMoreMyRooms();
    expect(roomsStore.getState().mine.items.map((room) => room.id)).toEqual(['first', 'second']);
    expect(server.called('GET /rooms').at(-1)?.query.get('offset')).toBe('1');
  });
});
