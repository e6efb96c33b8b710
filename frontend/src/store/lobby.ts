// The room behind the meeting link the user opened (`lobbyStore`): looking it up, the lobby's
// mic and camera choices, joining and leaving, and waiting to be let in where the room has a
// waiting room (decision 59). The live meeting itself is meeting.ts.
import { createStore } from 'zustand/vanilla';
import type { JoinWaiting, Joined, Participant, Room } from '@/api';
import { errorMessage, isApiError } from '@/api';
import { roomChanged } from './rooms-list';
import { roomsApi } from './user';

/** Where the local user is with a room: checking devices, connecting, waiting to be let in
 * (the room's waiting room), in it, or out. */
export type RoomPhase = 'idle' | 'lobby' | 'joining' | 'waiting' | 'joined' | 'left';

/** Finding the room behind a meeting link. */
export type RoomLookup = 'idle' | 'loading' | 'found' | 'not-found' | 'failed';

/** Why the server would not let the user in, as its code and words. */
export interface JoinRefusal {
  code: string;
  message: string;
}

export interface RoomState {
  code: string | null;
  phase: RoomPhase;
  micEnabled: boolean;
  cameraEnabled: boolean;
  lookup: RoomLookup;
  lookupError: string | null;
  room: Room | null;
  /** Set once joined. */
  participant: Participant | null;
  joinRefusal: JoinRefusal | null;
  /** Counts wrong passwords so the field can shake again on each one. */
  wrongPasswords: number;
  /** While waiting to be let in: since when (the server's time, ISO 8601). */
  waitingSince: string | null;
}

const initialState = (): RoomState => ({
  code: null,
  phase: 'idle',
  micEnabled: true,
  cameraEnabled: true,
  lookup: 'idle',
  lookupError: null,
  room: null,
  participant: null,
  joinRefusal: null,
  wrongPasswords: 0,
  waitingSince: null,
});

// The password given with the knock, kept (in memory only) while waiting: a place that
// lapsed while the tab slept is asked for again with it.
let knockPassword: string | undefined;

export const lobbyStore = createStore<RoomState>()(initialState);

/** Opening a meeting link lands in the lobby; a different room starts from fresh choices. */
export function enterLobby(code: string): void {
  const state = lobbyStore.getState();
  if (state.code === code && state.phase !== 'left') {
    return;
  }
  lobbyStore.setState({ ...initialState(), code, phase: 'lobby' });
}

export function toggleMic(): void {
  lobbyStore.setState((state) => ({ micEnabled: !state.micEnabled }));
}

export function toggleCamera(): void {
  lobbyStore.setState((state) => ({ cameraEnabled: !state.cameraEnabled }));
}

export function joinStarted(): void {
  lobbyStore.setState({ phase: 'joining', joinRefusal: null });
}

export function joined(): void {
  lobbyStore.setState({ phase: 'joined' });
}

export function leftRoom(): void {
  lobbyStore.setState({ phase: 'left' });
}

function isCurrent(code: string): boolean {
  return lobbyStore.getState().code === code;
}

/** Looks up the room of the lobby's meeting code: its name, host, password and status. */
export async function lookUpRoom(): Promise<void> {
  const { code } = lobbyStore.getState();
  if (!code) {
    return;
  }
  lobbyStore.setState({ lookup: 'loading', lookupError: null });
  try {
    const room = await roomsApi.get(code);
    if (isCurrent(code)) {
      lobbyStore.setState({ lookup: 'found', room });
      if (room.status === 'active' && room.my_role !== 'host') {
        // A reload while waiting to be let in comes back to waiting (decision 59).
        await checkLobbyPlace().catch(() => undefined);
      }
    }
  } catch (error) {
    if (isCurrent(code)) {
      const notFound = isApiError(error) && error.status === 404;
      lobbyStore.setState({
        lookup: notFound ? 'not-found' : 'failed',
        lookupError: errorMessage(error),
      });
    }
  }
}

const FINAL_STATUS_BY_REFUSAL: Partial<Record<string, Room['status']>> = {
  room_ended: 'ended',
  room_cancelled: 'cancelled',
};

function isWaiting(result: Joined | JoinWaiting): result is JoinWaiting {
  return 'status' in result && result.status === 'waiting';
}

/** The server put the user in the room's waiting room (the join's 202). */
export function waitingStarted(since: string): void {
  lobbyStore.setState({ phase: 'waiting', waitingSince: since, joinRefusal: null });
}

/** Asks the server for a seat. Refusals (password, full, ended) stay in the lobby; in a
 * room with a waiting room the answer may be to wait (phase `waiting`). */
export async function joinRoom(password?: string): Promise<boolean> {
  const { code, room } = lobbyStore.getState();
  if (!code) {
    return false;
  }
  if (lobbyStore.getState().phase !== 'waiting') {
    joinStarted();
  }
  try {
    const result = await roomsApi.join(code, password ? { password } : {});
    if (!isCurrent(code)) {
      return false;
    }
    if (isWaiting(result)) {
      knockPassword = password;
      lobbyStore.setState({ room: result.room });
      waitingStarted(result.since);
      return false;
    }
    knockPassword = undefined;
    lobbyStore.setState({ room: result.room, participant: result.participant, waitingSince: null });
    joined();
    roomChanged(result.room);
    return true;
  } catch (error) {
    if (isCurrent(code)) {
      refused(error, room);
    }
    return false;
  }
}

function refused(error: unknown, room: Room | null): void {
  const refusal = {
    code: isApiError(error) ? error.code : 'unknown',
    message: errorMessage(error),
  };
  const finalStatus = FINAL_STATUS_BY_REFUSAL[refusal.code];
  lobbyStore.setState((state) => ({
    phase: 'lobby',
    waitingSince: null,
    joinRefusal: refusal,
    wrongPasswords: state.wrongPasswords + (refusal.code === 'wrong_password' ? 1 : 0),
    room: room && finalStatus ? { ...room, status: finalStatus } : state.room,
  }));
}

/** Leaves the meeting; being out already (ended by the host, another tab) counts as left. */
export async function leaveRoom(): Promise<void> {
  const { code } = lobbyStore.getState();
  if (!code) {
    return;
  }
  try {
    await roomsApi.leave(code);
  } catch (error) {
    if (!(isApiError(error) && error.code === 'not_in_room')) {
      throw error;
    }
  }
  if (isCurrent(code)) {
    lobbyStore.setState({ participant: null });
    leftRoom();
  }
}

/** Where the user stands in the room's waiting room, asked of the server (which keeps their
 * place for it): let in joins, turned away says so, a lapsed place knocks again. */
export async function checkLobbyPlace(): Promise<void> {
  const { code } = lobbyStore.getState();
  if (!code) {
    return;
  }
  const place = await roomsApi.lobbyPlace(code);
  const { phase } = lobbyStore.getState();
  if (!isCurrent(code)) {
    return;
  }
  if (place.status === 'waiting' && place.since) {
    if (phase === 'lobby' || phase === 'waiting') {
      waitingStarted(place.since); // a reload while waiting comes back to waiting
    }
  } else if (phase !== 'waiting') {
    if (place.status === 'admitted' && phase === 'lobby') {
      await joinRoom(); // let in while the page was away
    }
  } else if (place.status === 'denied') {
    lobbyDenied(place.retry_after ?? null);
  } else {
    await joinRoom(knockPassword); // admitted, or the place lapsed: ask again
  }
}

const DENIED_MESSAGE = 'The host did not let you in this time.';

function lobbyDenied(retryAfter: number | null): void {
  knockPassword = undefined;
  const wait = retryAfter ? ` You can ask again in ${String(retryAfter)} seconds.` : '';
  lobbyStore.setState({
    phase: 'lobby',
    waitingSince: null,
    joinRefusal: { code: 'lobby_denied', message: `${DENIED_MESSAGE}${wait}` },
  });
}

/** The answer to waiting, pushed on the user channel (`lobby_admitted`, `lobby_denied`). */
export function lobbyAnswered(
  roomId: string,
  answer: { admitted: true } | { admitted: false; retryAfter: number },
): void {
  const { room, phase } = lobbyStore.getState();
  if (phase !== 'waiting' || room?.id !== roomId) {
    return;
  }
  if (answer.admitted) {
    void joinRoom(knockPassword);
  } else {
    lobbyDenied(answer.retryAfter);
  }
}

/** The user stops waiting (Cancel): the hosts no longer see them. */
export async function cancelWaiting(): Promise<void> {
  const { code } = lobbyStore.getState();
  if (!code) {
    return;
  }
  knockPassword = undefined;
  lobbyStore.setState({ phase: 'lobby', waitingSince: null });
  await roomsApi.leaveLobby(code);
}

export function resetRoomStore(): void {
  knockPassword = undefined;
  lobbyStore.setState(initialState(), true);
}
