// The room behind the meeting link the user opened (`lobbyStore`): looking it up, the lobby's
// mic and camera choices, joining and leaving. The live meeting itself is meeting.ts.
import { createStore } from 'zustand/vanilla';
import type { Participant, Room } from '@/api';
import { errorMessage, isApiError } from '@/api';
import { roomChanged } from './rooms-list';
import { roomsApi } from './user';

/** Where the local user is with a room: checking devices, connecting, in it, or out. */
export type RoomPhase = 'idle' | 'lobby' | 'joining' | 'joined' | 'left';

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
});

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

/** Asks the server for a seat. Refusals (password, full, ended) stay in the lobby. */
export async function joinRoom(password?: string): Promise<boolean> {
  const { code, room } = lobbyStore.getState();
  if (!code) {
    return false;
  }
  joinStarted();
  try {
    const result = await roomsApi.join(code, password ? { password } : {});
    if (isCurrent(code)) {
      lobbyStore.setState({ room: result.room, participant: result.participant });
      joined();
      roomChanged(result.room);
    }
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

export function resetRoomStore(): void {
  lobbyStore.setState(initialState(), true);
}
