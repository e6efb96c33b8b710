import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json } from '@/test/fake-api';
import { aRoom, daysFromNow, page } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';
import { roomDetailStore, resetRoomDetailStore, loadRoomDetail } from './room-detail';
import {
  cancelRoom,
  createRoom,
  deleteRoom,
  downloadInvitation,
  endRoom,
  startInstantMeeting,
  updateRoom,
} from './room-actions';
import { loadDashboard, resetRoomsStore, roomsStore } from './rooms-list';

beforeEach(() => {
  resetSession();
  resetRoomsStore();
  resetRoomDetailStore();
  signInAs();
});

describe('room actions', () => {
  it('creates a room and lists it, under Upcoming too when scheduled ahead', async () => {
    const scheduled = aRoom({ id: 'new', scheduled_at: daysFromNow(2) });
    const server = fakeApi({ 'POST /rooms': json(201, scheduled) });
    await createRoom({ name: 'Weekly sync', scheduled_at: scheduled.scheduled_at! });
    expect(server.called('POST /rooms')[0]?.body).toEqual({
      name: 'Weekly sync',
      scheduled_at: scheduled.scheduled_at,
    });
    const { mine, upcoming } = roomsStore.getState();
    expect(mine.items[0]?.id).toBe('new');
    expect(mine.total).toBe(1);
    expect(upcoming.items[0]?.id).toBe('new');
  });

  it('names an instant meeting after its host', async () => {
    const server = fakeApi({ 'POST /rooms': json(201, aRoom()) });
    await startInstantMeeting();
    expect(server.called('POST /rooms')[0]?.body).toEqual({ name: "Ayu's meeting" });
  });

  it('names an instant meeting plainly without a first name', async () => {
    signInAs({ ...signInAs(), first_name: ' ' });
    const server = fakeApi({ 'POST /rooms': json(201, aRoom()) });
    await startInstantMeeting();
    expect(server.called('POST /rooms')[0]?.body).toEqual({ name: 'Instant meeting' });
  });

  it('updates, cancels and ends rooms everywhere they are shown', async () => {
    const room = aRoom({ scheduled_at: daysFromNow(1) });
    fakeApi({
      'GET /rooms': json(200, page([room])),
      'GET /rooms/history': json(200, page([])),
      'GET /rooms/room-1': json(200, { ...room, my_role: null }),
      'PUT /rooms/room-1': (request) =>
        json(200, { ...room, ...(request.body as object), my_role: 'host' }),
      'POST /rooms/room-1/end': json(200, { ...room, status: 'ended' }),
    });
    await loadDashboard();
    await loadRoomDetail('room-1');

    await updateRoom('room-1', { name: 'Renamed' });
    expect(roomsStore.getState().mine.items[0]?.name).toBe('Renamed');
    expect(roomDetailStore.getState().room?.name).toBe('Renamed');

    await cancelRoom('room-1');
    expect(roomsStore.getState().mine.items[0]?.status).toBe('cancelled');
    expect(roomsStore.getState().upcoming.items).toEqual([]);
    expect(roomsStore.getState().upcoming.total).toBe(0);

    await endRoom('room-1');
    expect(roomDetailStore.getState().room?.status).toBe('ended');
  });

  it('forgets a deleted room, also on its open page', async () => {
    fakeApi({
      'GET /rooms': json(200, page([aRoom()])),
      'GET /rooms/history': json(200, page([])),
      'GET /rooms/room-1': json(200, aRoom({ my_role: null })),
      'DELETE /rooms/room-1': json(204),
    });
    await loadDashboard();
    await loadRoomDetail('room-1');
    await deleteRoom('room-1');
    expect(roomsStore.getState().mine).toMatchObject({ items: [], total: 0 });
    expect(roomDetailStore.getState().room).toBeNull();
  });

  it('downloads the calendar invitation as a file', async () => {
    fakeApi({
      'GET /rooms/abc-defg-hij/invite.ics': new Response('BEGIN:VCALENDAR', {
        headers: { 'Content-Type': 'text/calendar' },
      }),
    });
    const createObjectURL = vi.fn(() => 'blob:x');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const click = vi
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    await downloadInvitation(aRoom());
    expect(click).toHaveBeenCalledTimes(1);
    expect(createObjectURL).toHaveBeenCalledTimes(1);
  });
});
