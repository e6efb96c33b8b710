/** The room's own page; `roomId` is its UUID or meeting code. */
export function roomPath(roomId: string): string {
  return `/rooms/${encodeURIComponent(roomId)}`;
}

export const NEW_ROOM_PATH = '/rooms/new';
export const SCHEDULE_ROOM_PATH = '/rooms/new?schedule=1';
