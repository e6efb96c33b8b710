import { beforeEach, describe, expect, it } from 'vitest';
import {
  enterLobby,
  joinStarted,
  joined,
  leftRoom,
  resetRoomStore,
  roomStore,
  toggleCamera,
  toggleMic,
} from './room-store';

beforeEach(() => {
  resetRoomStore();
});

describe('room store', () => {
  it('enters the lobby of a room with mic and camera on', () => {
    enterLobby('abc-defg-hij');
    expect(roomStore.getState()).toEqual({
      code: 'abc-defg-hij',
      phase: 'lobby',
      micEnabled: true,
      cameraEnabled: true,
    });
  });

  it('keeps device choices when the same lobby is opened again', () => {
    enterLobby('abc-defg-hij');
    toggleMic();
    enterLobby('abc-defg-hij');
    expect(roomStore.getState().micEnabled).toBe(false);
  });

  it('starts fresh for another room or after leaving', () => {
    enterLobby('abc-defg-hij');
    toggleCamera();
    enterLobby('xyz-abcd-efg');
    expect(roomStore.getState()).toMatchObject({ code: 'xyz-abcd-efg', cameraEnabled: true });

    toggleCamera();
    leftRoom();
    enterLobby('xyz-abcd-efg');
    expect(roomStore.getState()).toMatchObject({ phase: 'lobby', cameraEnabled: true });
  });

  it('moves through joining to joined', () => {
    enterLobby('abc-defg-hij');
    joinStarted();
    expect(roomStore.getState().phase).toBe('joining');
    joined();
    expect(roomStore.getState().phase).toBe('joined');
  });
});
