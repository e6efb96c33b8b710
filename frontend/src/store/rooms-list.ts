// The dashboard's lists of rooms (`roomsStore`), kept current by room-actions.ts and the lobby.
import { createStore } from 'zustand/vanilla';
import type { HistoryEntry, Room } from '@/api';
import { detailRoomChanged, resetRoomDetailStore, roomDetailStore } from './room-detail';
import { roomsApi } from './user';

export type ListStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface ListState<Item> {
  status: ListStatus;
  items: Item[];
  /** How many the server has in all; more than `items.length` means "Show more". */
  total: number;
  error: unknown;
}

/** The dashboard: the caller's rooms, scheduled meetings ahead, and meetings taken part in. */
export interface RoomsState {
  mine: ListState<Room>;
  upcoming: ListState<Room>;
  history: ListState<HistoryEntry>;
}

export const ROOMS_PAGE_SIZE = 20;
export const UPCOMING_LIMIT = 20;
export const HISTORY_LIMIT = 10;

const emptyList = <Item>(): ListState<Item> => ({
  status: 'idle',
  items: [],
  total: 0,
  error: null,
});

const initialState = (): RoomsState => ({
  mine: emptyList(),
  upcoming: emptyList(),
  history: emptyList(),
});

export const roomsStore = createStore<RoomsState>()(initialState);

type ListName = keyof RoomsState;

async function loadList<Name extends ListName>(
  name: Name,
  fetchPage: () => Promise<{ items: RoomsState[Name]['items']; total: number }>,
  append = false,
): Promise<void> {
  const before = roomsStore.getState()[name];
  roomsStore.setState({ [name]: { ...before, status: 'loading', error: null } });
  try {
    const page = await fetchPage();
    const current = roomsStore.getState()[name];
    const items = append ? [...current.items, ...page.items] : page.items;
    roomsStore.setState({ [name]: { status: 'ready', items, total: page.total, error: null } });
  } catch (error) {
    roomsStore.setState({ [name]: { ...roomsStore.getState()[name], status: 'failed', error } });
  }
}

export function loadMyRooms(): Promise<void> {
  return loadList('mine', () => roomsApi.list({ scope: 'all', limit: ROOMS_PAGE_SIZE }));
}

export function loadMoreMyRooms(): Promise<void> {
  const offset = roomsStore.getState().mine.items.length;
  return loadList(
    'mine',
    () => roomsApi.list({ scope: 'all', limit: ROOMS_PAGE_SIZE, offset }),
    true,
  );
}

/** Scheduled meetings still to come, soonest first; cancelled ones are left out. */
export function loadUpcoming(): Promise<void> {
  return loadList('upcoming', async () => {
    const page = await roomsApi.list({ upcoming: true, status: 'active', limit: UPCOMING_LIMIT });
    return { ...page, items: [...page.items].sort(bySchedule) };
  });
}

export function loadHistory(): Promise<void> {
  return loadList('history', () => roomsApi.myHistory({ limit: HISTORY_LIMIT }));
}

export async function loadDashboard(): Promise<void> {
  await Promise.all([loadMyRooms(), loadUpcoming(), loadHistory()]);
}

function bySchedule(a: Room, b: Room): number {
  return Date.parse(a.scheduled_at ?? '') - Date.parse(b.scheduled_at ?? '');
}

function isUpcoming(room: Room): boolean {
  return (
    room.status === 'active' && !!room.scheduled_at && Date.parse(room.scheduled_at) >= Date.now()
  );
}

/** Puts a newer copy of a room everywhere it is shown. */
export function roomChanged(room: Room): void {
  const { mine, upcoming } = roomsStore.getState();
  const known = mine.items.some((item) => item.id === room.id);
  const mineItems = known
    ? mine.items.map((item) => (item.id === room.id ? room : item))
    : [room, ...mine.items];
  const others = upcoming.items.filter((item) => item.id !== room.id);
  const upcomingItems = isUpcoming(room) ? [...others, room].sort(bySchedule) : others;
  roomsStore.setState({
    mine: { ...mine, items: mineItems, total: mine.total + (known ? 0 : 1) },
    upcoming: {
      ...upcoming,
      items: upcomingItems,
      total: upcoming.total + upcomingItems.length - upcoming.items.length,
    },
  });
  detailRoomChanged(room);
}

/** Takes a deleted room off every list, and off its page if it is open. */
export function roomRemoved(roomId: string): void {
  const { mine, upcoming } = roomsStore.getState();
  const without = (list: ListState<Room>): ListState<Room> => {
    const items = list.items.filter((item) => item.id !== roomId);
    return { ...list, items, total: Math.max(0, list.total - (list.items.length - items.length)) };
  };
  roomsStore.setState({ mine: without(mine), upcoming: without(upcoming) });
  if (roomDetailStore.getState().room?.id === roomId) {
    resetRoomDetailStore();
  }
}

export function resetRoomsStore(): void {
  roomsStore.setState(initialState(), true);
}
