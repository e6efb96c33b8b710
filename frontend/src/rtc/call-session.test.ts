import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerEvent } from '@/api';
import { FakePeer, receiveTrack } from '@/test/fake-peer';
import { fakeStream, FakeTrack } from '@/test/media';
import type { RemoteTrack } from './peer-connection';
import { MediaSession } from './peer-connection';
import { DIRECT_CONNECT_MS, HANDOVER_MS, SFU_RECOVERY_MS } from './call-machine';
import { CallSession } from './call-session';

let peers: FakePeer[];
let reconnects: number;
let tracks: RemoteTrack[];

function aCall(): CallSession {
  return new CallSession({
    signal: () => Promise.resolve({}),
    reconnect: () => {
      reconnects += 1;
    },
    me: () => 'u-ayu',
    iceServers: { known: () => [], get: () => Promise.resolve([]) },
    videoLimit: () => ({ maxBitrate: 1_000_000, scaleResolutionDownBy: 1 }),
    onTrack: (remote) => tracks.push(remote),
    onTrackEnded: () => undefined,
    onError: () => undefined,
    createSession: (options) =>
      new MediaSession({
        ...options,
        createPeer: (config) => {
          const peer = new FakePeer(config);
          peers.push(peer);
          return peer as unknown as RTCPeerConnection;
        },
      }),
  });
}

const media = (data: Extract<ServerEvent, { type: 'media_mode' }>['data']): ServerEvent => ({
  type: 'media_mode',
  data,
});

/** My microphone, sent from the start. */
function sendMic(call: CallSession): void {
  const track = new FakeTrack('audio') as unknown as MediaStreamTrack;
  call.publish('audio', track, fakeStream([track as unknown as FakeTrack], 'local'));
}

beforeEach(() => {
  vi.useFakeTimers();
  peers = [];
  reconnects = 0;
  tracks = [];
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a call session', () => {
  it('makes the SFU connection on start and reports the phase', () => {
    const call = aCall();
    const phases: string[] = [];
    call.subscribe((state) => phases.push(state.phase));
    const run = call.start();
    expect(peers).toHaveLength(1);
    expect(call.live).toBe(true);
    expect(call.isCurrent(run)).toBe(true);
    call.joined();
    expect(phases).toContain('sfu');
    call.stop();
    expect(peers[0]!.closed).toBe(true);
    expect(call.isCurrent(run)).toBe(false);
    expect(call.state.phase).toBe('idle');
  });

  it('moves to the SFU when the direct connection does not come up, then closes it', () => {
    const call = aCall();
    call.start();
    sendMic(call);
    call.handle(media({ mode: 'p2p', peer: 'u-budi', polite: false }));
    const [sfu, direct] = peers;
    expect(direct!.transceivers).toHaveLength(1);
    expect(sfu!.transceivers).toHaveLength(0);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.advanceTimersByTime(DIRECT_CONNECT_MS);
    expect(warn).toHaveBeenCalledWith(
      'Direct media connection: not connected in 15 s; the server carries the call.',
    );
    expect(call.state.phase).toBe('handing-over');
    expect(sfu!.transceivers).toHaveLength(1);
    expect(direct!.closed).toBe(false);
    expect(call.receiving()).toHaveLength(2);
    vi.advanceTimersByTime(HANDOVER_MS);
    expect(direct!.closed).toBe(true);
    expect(call.state.phase).toBe('sfu');
    call.stop();
  });

  it('ends the handover as soon as the SFU brings the other person', () => {
    const call = aCall();
    call.start();
    call.handle(media({ mode: 'p2p', peer: 'u-budi', polite: false }));
    call.handle(media({ mode: 'sfu' }));
    const [sfu, direct] = peers;
    const track = new FakeTrack('video') as unknown as MediaStreamTrack;
    receiveTrack(sfu!, track, fakeStream([track as unknown as FakeTrack], 'u-budi'));
    expect(tracks.map((t) => t.userId)).toEqual(['u-budi']);
    expect(direct!.closed).toBe(true);
    expect(call.state.phase).toBe('sfu');
    call.stop();
  });

  it('reconnects signaling when the SFU connection stays down', () => {
    const call = aCall();
    call.start();
    call.joined();
    peers[0]!.setConnection('disconnected');
    expect(reconnects).toBe(0);
    vi.advanceTimersByTime(SFU_RECOVERY_MS);
    expect(reconnects).toBe(1);
    peers[0]!.setConnection('failed');
    expect(reconnects).toBe(2);
    call.stop();
  });

  it('forwards negotiation to its connections and stops timers on stop', () => {
    const call = aCall();
    call.start();
    call.handle(media({ mode: 'p2p', peer: 'u-budi', polite: false }));
    call.handle({ type: 'participant_left', data: { user_id: 'u-budi', reason: 'left' } });
    expect(peers[1]!.closed).toBe(true);
    expect(call.state.phase).toBe('waiting');
    call.stop();
    vi.advanceTimersByTime(DIRECT_CONNECT_MS);
    expect(call.state.phase).toBe('idle');
  });
});
