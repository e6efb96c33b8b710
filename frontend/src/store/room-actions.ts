import type { NewRoom, Room, RoomChanges } from '@/api';
import { saveTextFile } from '@/lib/download';
import { roomChanged, roomRemoved } from './rooms-list';
import { roomsApi, userStore } from './user';

// What the pages ask of a room; each change shows at once in the lists and on the room's page.

export async function createRoom(room: NewRoom): Promise<Room> {
  const created = await roomsApi.create(room);
  roomChanged(created);
  return created;
}

/** "New meeting": a room for right now, named after its host. */
export function startInstantMeeting(): Promise<Room> {
  const firstName = userStore.getState().user?.first_name.trim();
  return createRoom({ name: firstName ? `${firstName}'s meeting` : 'Instant meeting' });
}

export async function updateRoom(roomId: string, changes: RoomChanges): Promise<Room> {
  const room = await roomsApi.update(roomId, changes);
  roomChanged(room);
  return room;
}

export async function cancelRoom(roomId: string): Promise<Room> {
  const room = await roomsApi.cancel(roomId);
  roomChanged(room);
  return room;
}

/** Everyone in the meeting leaves; a one-off room ends for good, a persistent one stays open. */
export async function endRoom(roomId: string): Promise<Room> {
  const room = await roomsApi.end(roomId);
  roomChanged(room);
  return room;
}

export async function deleteRoom(roomId: string): Promise<void> {
  await roomsApi.remove(roomId);
  roomRemoved(roomId);
}

/** Saves the meeting's calendar invitation (.ics) through the browser's downloads. */
export async function downloadInvitation(room: Pick<Room, 'code'>): Promise<void> {
  const invitation = await roomsApi.invitation(room.code);
  saveTextFile(invitation.text, invitation.filename, 'text/calendar');
}
