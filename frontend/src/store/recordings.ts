// Recordings (`recordingsStore`): every room's on the Recordings page, one room's on its page.
import { createStore } from 'zustand/vanilla';
import type { Recording, RecordingLink, RecordingPage } from '@/api';
import { recordingEndpoints } from '@/api';
import type { ListState } from './rooms-list';
import { api } from './user';

export const recordingsApi = recordingEndpoints(api.client);

/** Which list: all of the caller's (`mine`) or one room's. */
export type RecordingScope = { kind: 'mine' } | { kind: 'room'; roomId: string };

export interface RecordingsState {
  mine: ListState<Recording>;
  room: ListState<Recording> & { roomId: string | null };
}

export const RECORDINGS_PAGE_SIZE = 20;
/** The server's largest page: a refresh re-reads what is shown in one request. */
const MAX_PAGE = 100;

const emptyList = (): ListState<Recording> => ({
  status: 'idle',
  items: [],
  total: 0,
  error: null,
});

const initialState = (): RecordingsState => ({
  mine: emptyList(),
  room: { ...emptyList(), roomId: null },
});

export const recordingsStore = createStore<RecordingsState>()(initialState);

export function listOf(scope: RecordingScope): ListState<Recording> {
  const state = recordingsStore.getState();
  return scope.kind === 'mine' ? state.mine : state.room;
}

/** Whether a reply still belongs on screen (the room page may have moved to another room). */
function current(scope: RecordingScope): boolean {
  return scope.kind === 'mine' || recordingsStore.getState().room.roomId === scope.roomId;
}

function put(scope: RecordingScope, list: Partial<ListState<Recording>>): void {
  if (scope.kind === 'mine') {
    recordingsStore.setState((state) => ({ mine: { ...state.mine, ...list } }));
  } else if (current(scope)) {
    recordingsStore.setState((state) => ({ room: { ...state.room, ...list } }));
  }
}

function fetchPage(scope: RecordingScope, limit: number, offset: number): Promise<RecordingPage> {
  const query = { limit, offset };
  return scope.kind === 'mine'
    ? recordingsApi.list(query)
    : recordingsApi.ofRoom(scope.roomId, query);
}

async function load(scope: RecordingScope, offset: number): Promise<void> {
  put(scope, { status: 'loading', error: null });
  try {
    const page = await fetchPage(scope, RECORDINGS_PAGE_SIZE, offset);
    const before = offset === 0 ? [] : listOf(scope).items;
    put(scope, { status: 'ready', items: [...before, ...page.items], total: page.total });
  } catch (error) {
    put(scope, { status: 'failed', error });
  }
}

/** The first page; a room's list starts empty when another room was shown before. */
export function loadRecordings(scope: RecordingScope): Promise<void> {
  if (scope.kind === 'room' && recordingsStore.getState().room.roomId !== scope.roomId) {
    recordingsStore.setState({ room: { ...emptyList(), roomId: scope.roomId } });
  }
  return load(scope, 0);
}

export function loadMoreRecordings(scope: RecordingScope): Promise<void> {
  return load(scope, listOf(scope).items.length);
}

/**
 * Reads again what is shown (statuses and progress move on); quiet: a failed refresh keeps
 * the list as it was, and the next one may succeed.
 */
export async function refreshRecordings(scope: RecordingScope): Promise<void> {
  const shown = Math.min(MAX_PAGE, Math.max(RECORDINGS_PAGE_SIZE, listOf(scope).items.length));
  try {
    const page = await fetchPage(scope, shown, 0);
    put(scope, { status: 'ready', items: page.items, total: page.total, error: null });
  } catch {
    // Shown as it was; the next refresh may succeed.
  }
}

/** Applies `change` to both lists; the totals drop by what it took out. */
function changeEverywhere(change: (items: Recording[]) => Recording[]): void {
  const apply = <L extends ListState<Recording>>(list: L): L => {
    const items = change(list.items);
    return { ...list, items, total: Math.max(0, list.total - (list.items.length - items.length)) };
  };
  recordingsStore.setState((state) => ({ mine: apply(state.mine), room: apply(state.room) }));
}

/** Deletes it on the server, then from every list. */
export async function deleteRecording(id: string): Promise<void> {
  await recordingsApi.remove(id);
  changeEverywhere((items) => items.filter((item) => item.id !== id));
}

/** Composes a failed recording again; the lists show it queued at once. */
export async function retryRecording(id: string): Promise<Recording> {
  const updated = await recordingsApi.retry(id);
  recordingChanged(updated);
  return updated;
}

/** A newer copy of a recording: shown wherever it is listed. */
export function recordingChanged(recording: Recording): void {
  changeEverywhere((items) => items.map((item) => (item.id === recording.id ? recording : item)));
}

export function resetRecordingsStore(): void {
  recordingsStore.setState(initialState(), true);
}

/** One recording, e.g. the one a notification's link names. */
export function fetchRecording(id: string): Promise<Recording> {
  return recordingsApi.get(id);
}

/** A fresh short-lived link to the file (they last minutes: one per play or download). */
export function recordingLink(id: string): Promise<RecordingLink> {
  return recordingsApi.link(id);
}
