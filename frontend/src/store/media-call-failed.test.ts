import { act, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectMeeting, resetMeetingStore, useSignalingFactory } from '@/store';
import { attachCall, callStore, forgetIceServers, useSessionFactory } from '@/store/media-call';
import { resetMediaStore } from '@/store/media';
import { fakeApi, json } from '@/test/fake-api';
import type { FakePeer } from '@/test/fake-peer';
import { recordSessionPeers } from '@/test/media-session';
import { aRoomState, fakeSignaling } from '@/test/meeting';
import { resetSession, signInAs } from '@/test/session';

let peers: FakePeer[];
let detach: (() => void) | null;

beforeEach(() => {
  forgetIceServers();
  resetSession();
  resetMediaStore();
  detach = null;
  peers = recordSessionPeers();
});

afterEach(() => {
  detach?.();
  resetMeetingStore();
  useSignalingFactory(null);
  useSessionFactory(null);
});

describe('a connection to the SFU that cannot negotiate', () => {
  it('is made afresh (through a reconnect) once the call moves to the SFU', async () => {
    const user = signInAs();
    fakeApi({ 'GET /rtc/ice-servers': json(200, { ice_servers: [], ttl: 0, expires_at: 0 }) });
    const signaling = fakeSignaling();
    detach = attachCall();
    connectMeeting('room-1', user.id);
    await waitFor(() => {
      expect(signaling.sockets).toHaveLength(1);
    });
    const socket = signaling.latest();
    await act(async () => {
      socket.open();
      socket.receive(aRoomState());
      socket.receive({ type: 'media_mode', data: { mode: 'p2p', peer: null } });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(callStore.getState().route).toBe('waiting');
    // An SFU offer this connection cannot answer: the SFU would wait for its answer for ever.
    peers[0]!.setRemoteDescription = () => Promise.reject(new Error('bad offer'));
    await act(async () => {
      socket.receive({ type: 'offer', data: { from: 'sfu', sdp: 'unusable' } });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(socket.closedWith).toBeNull(); // nothing goes through the SFU yet
    await act(async () => {
      socket.receive({ type: 'media_mode', data: { mode: 'sfu' } });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(socket.closedWith).toBe(4000); // reconnecting: the next room_state starts afresh
  });
});
