import { createStore } from 'zustand/vanilla';

/** Where the local user is with a room: checking devices, connecting, in it, or out. */
export type RoomPhase = 'idle' | 'lobby' | 'joining' | 'joined' | 'left';

export interface RoomState {
  code: string | null;
  phase: RoomPhase;
  micEnabled: boolean;
  cameraEnabled: boolean;
}

const initialState = (): RoomState => ({
  code: null,
  phase: 'idle',
  micEnabled: true,
  cameraEnabled: true,
});

export const roomStore = createStore<RoomState>()(initialState);

/** Opening a meeting link lands in the lobby; a different room starts from fresh choices. */
export function enterLobby(code: string): void {
  const state = roomStore.getState();
  if (state.code === code && state.phase !== 'left') {
    return;
  }
  roomStore.setState({ ...initialState(), code, phase: 'lobby' });
}

export function toggleMic(): void {
  roomStore.setState((state) => ({ micEnabled: !state.micEnabled }));
}

export function toggleCamera(): void {
  roomStore.setState((state) => ({ cameraEnabled: !state.cameraEnabled }));
}

export function joinStarted(): void {
  roomStore.setState({ phase: 'joining' });
}

export function joined(): void {
  roomStore.setState({ phase: 'joined' });
}

export function leftRoom(): void {
  roomStore.setState({ phase: 'left' });
}

export function resetRoomStore(): void {
  roomStore.setState(initialState(), true);
}
