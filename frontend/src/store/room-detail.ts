// One room on its own page (`roomDetailStore`), with what only its members may see.
import { createStore } from 'zustand/vanilla';
import type { HistoryEntry, Participant, Room, RoomBan, RoomRole, RoomSettings } from '@/api';
import { isApiError } from '@/api';
import { roomsApi } from './user';

export type DetailStatus = 'idle' | 'loading' | 'ready' | 'not-found' | 'failed';

/** The room open on its own page, with what only its members may see. */
export interface RoomDetailState {
  /** The UUID or code the page asked for. */
  roomId: string | null;
  status: DetailStatus;
  error: unknown;
  room: Room | null;
  /** Empty for someone who is not a member: the server shows them the room only. */
  participants: Participant[];
  history: HistoryEntry[];
  settings: RoomSettings | null;
  /** People removed from the room; loaded for hosts and moderators only. */
  bans: RoomBan[];
}

const initialState = (): RoomDetailState => ({
  roomId: null,
  status: 'idle',
  error: null,
  room: null,
  participants: [],
  history: [],
  settings: null,
  bans: [],
});

export const roomDetailStore = createStore<RoomDetailState>()(initialState);

const HISTORY_LIMIT = 20;

function isOpen(roomId: string): boolean {
  return roomDetailStore.getState().roomId === roomId;
}

/** Loads the room and, for its members, its people, history and settings. */
export async function loadRoomDetail(roomId: string): Promise<void> {
  const keep = roomDetailStore.getState();
  const sameRoom = keep.roomId === roomId && keep.room !== null;
  roomDetailStore.setState(
    sameRoom ? { status: 'loading' } : { ...initialState(), roomId, status: 'loading' },
  );
  try {
    const room = await roomsApi.get(roomId);
    const members = room.my_role ? await loadMembersOnly(room.id, room.my_role) : null;
    if (isOpen(roomId)) {
      roomDetailStore.setState({ status: 'ready', error: null, room, ...members });
    }
  } catch (error) {
    if (isOpen(roomId)) {
      const notFound = isApiError(error) && error.status === 404;
      roomDetailStore.setState({ status: notFound ? 'not-found' : 'failed', error });
    }
  }
}

// Who may remove people sees the removed (docs/api.md, "Who may do what").
const SEES_BANS: readonly RoomRole[] = ['host', 'moderator'];

async function loadMembersOnly(roomId: string, role: RoomRole) {
  const [participants, history, settings, bans] = await Promise.all([
    roomsApi.participants(roomId, true),
    roomsApi.history(roomId, { limit: HISTORY_LIMIT }),
    roomsApi.settings(roomId),
    SEES_BANS.includes(role) ? roomsApi.bans(roomId) : Promise.resolve([]),
  ]);
  return { participants, history: history.items, settings, bans };
}

/** Let someone removed from the open room join it again; off the list once the server agrees. */
export async function letBackIn(userId: string): Promise<void> {
  const { room } = roomDetailStore.getState();
  if (!room) {
    throw new Error('No room is open.');
  }
  await roomsApi.liftBan(room.id, userId);
  const now = roomDetailStore.getState();
  if (now.room?.id === room.id) {
    roomDetailStore.setState({ bans: now.bans.filter((ban) => ban.user.id !== userId) });
  }
}

/** A newer copy of a room arrived (edited, ended, cancelled): show it if it is open. */
export function detailRoomChanged(room: Room): void {
  const { room: open } = roomDetailStore.getState();
  if (open?.id === room.id) {
    roomDetailStore.setState({ room });
  }
}

/** Settings apply at once; the switch moves back if the server refuses. */
export async function updateRoomSettings(changes: Partial<RoomSettings>): Promise<RoomSettings> {
  const { room, settings: before } = roomDetailStore.getState();
  if (!room || !before) {
    throw new Error('No room is open.');
  }
  roomDetailStore.setState({ settings: { ...before, ...changes } });
  try {
    const settings = await roomsApi.updateSettings(room.id, changes);
    if (roomDetailStore.getState().room?.id === room.id) {
      roomDetailStore.setState({ settings });
    }
    return settings;
  } catch (error) {
    if (roomDetailStore.getState().room?.id === room.id) {
      roomDetailStore.setState({ settings: before });
    }
    throw error;
  }
}

export function resetRoomDetailStore(): void {
  roomDetailStore.setState(initialState(), true);
}
