import { act, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IceServersResponse } from '@/api';
import { connectMeeting, resetMeetingStore, useSignalingFactory } from '@/store';
import { attachCall, forgetIceServers, useSessionFactory } from '@/store/media-call';
import { resetMediaStore } from '@/store/media';
import { fakeApi, json } from '@/test/fake-api';
import { FakePeer } from '@/test/fake-peer';
import { recordSessionPeers } from '@/test/media-session';
import { aRoomState, fakeSignaling } from '@/test/meeting';
import { resetSession, signInAs } from '@/test/session';

const TURN: IceServersResponse = {
  ice_servers: [
    { urls: ['stun:turn.example.id:3478'], username: null, credential: null },
    {
      urls: ['turn:turn.example.id:3478?transport=udp'],
      username: '1700003600:u-ayu',
      credential: 'c2VjcmV0LWhtYWM=',
    },
  ],
  ttl: 3600,
  expires_at: 1_700_003_600,
};
const AS_RTC: RTCIceServer[] = [
  { urls: ['stun:turn.example.id:3478'] },
  {
    urls: ['turn:turn.example.id:3478?transport=udp'],
    username: '1700003600:u-ayu',
    credential: 'c2VjcmV0LWhtYWM=',
  },
];

/** A fake peer that, like the browser's, lets its configuration change later. */
class ConfigurablePeer extends FakePeer {
  current: RTCConfiguration;

  constructor(config: RTCConfiguration) {
    super(config);
    this.current = config;
  }

  getConfiguration(): RTCConfiguration {
    return this.current;
  }

  setConfiguration(config: RTCConfiguration): void {
    this.current = config;
  }
}

let peers: ConfigurablePeer[];
let detach: (() => void) | null;

beforeEach(() => {
  forgetIceServers();
  resetSession();
  resetMediaStore();
  detach = null;
  peers = recordSessionPeers((config) => new ConfigurablePeer(config));
});

afterEach(() => {
  detach?.();
  resetMeetingStore();
  useSignalingFactory(null);
  useSessionFactory(null);
});

async function enterMeeting(userId: string) {
  const signaling = fakeSignaling();
  detach = attachCall();
  connectMeeting('room-1', userId);
  await waitFor(() => {
    expect(signaling.sockets).toHaveLength(1);
  });
  return signaling.latest();
}

describe('the meeting connection and GET /rtc/ice-servers', () => {
  it('is made with the STUN/TURN servers the page fetched on opening', async () => {
    const user = signInAs();
    const api = fakeApi({ 'GET /rtc/ice-servers': json(200, TURN) });
    const socket = await enterMeeting(user.id);
    await waitFor(() => {
      expect(api.called('GET /rtc/ice-servers')).toHaveLength(1);
    });
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0)); // the response is read
      socket.open();
      socket.receive(aRoomState());
    });
    expect(peers).toHaveLength(1);
    expect(peers[0]!.config.iceServers).toEqual(AS_RTC);
    expect(api.requests[0]!.headers).toMatchObject({
      Authorization: expect.stringMatching(/^Bearer /) as unknown,
    });
  });

  it('gets them late when the server answers after the connection was made', async () => {
    const user = signInAs();
    let answer: (response: Response) => void = () => undefined;
    fakeApi({
      'GET /rtc/ice-servers': () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    const socket = await enterMeeting(user.id);
    await act(() => {
      socket.open();
      socket.receive(aRoomState());
    });
    expect(peers[0]!.config.iceServers).toEqual([]);
    await act(async () => {
      answer(json(200, TURN));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    await waitFor(() => {
      expect(peers[0]!.current.iceServers).toEqual(AS_RTC);
    });
    expect(peers[0]!.current.bundlePolicy).toBe('max-bundle');
  });

  it('falls back to host candidates when the list cannot be had', async () => {
    const user = signInAs();
    fakeApi({ 'GET /rtc/ice-servers': json(503, { error: { code: 'x', message: 'down' } }) });
    const socket = await enterMeeting(user.id);
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      socket.open();
      socket.receive(aRoomState());
    });
    expect(peers[0]!.config.iceServers).toEqual([]);
  });
});
