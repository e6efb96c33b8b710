// A MediaSession over a FakePeer, with what it sent, reported and received, for rtc tests.
import type { ClientMessage, ServerEvent } from '@/api';
import type {
  DirectPeer,
  MediaConnectionState,
  MediaSessionOptions,
  RemoteTrack,
} from '@/rtc/peer-connection';
import { MediaSession } from '@/rtc/peer-connection';
import { useSessionFactory } from '@/store/media-call';
import { FakePeer } from './fake-peer';

/** Makes every media session the call store starts use a peer from `make`; returns the peers
 * made, in order. */
export function recordSessionPeers<P extends FakePeer>(
  make: (config: RTCConfiguration) => P = (config) => new FakePeer(config) as P,
): P[] {
  const peers: P[] = [];
  useSessionFactory(
    (options) =>
      new MediaSession({
        ...options,
        createPeer: (config) => {
          const peer = make(config);
          peers.push(peer);
          return peer as unknown as RTCPeerConnection;
        },
      }),
  );
  return peers;
}

export function fakeTrack(kind: 'audio' | 'video', id = `${kind}-1`): MediaStreamTrack {
  return { id, kind } as MediaStreamTrack;
}

export function fakeStream(id: string): MediaStream {
  return { id, onremovetrack: null } as unknown as MediaStream;
}

/** What the server makes of a message the session sends: ack (resolve) or error (reject). */
export type Reply = (message: ClientMessage) => Promise<unknown>;

/** A request error as the signaling client raises it. */
export function refusal(code: string): Error {
  return Object.assign(new Error(`refused: ${code}`), { code });
}

export function setUpSession(
  reply: Reply = () => Promise.resolve({}),
  direct?: DirectPeer,
  options: Partial<MediaSessionOptions> = {},
) {
  const sent: ClientMessage[] = [];
  const states: MediaConnectionState[] = [];
  const tracks: RemoteTrack[] = [];
  const ended: RemoteTrack[] = [];
  const errors: string[] = [];
  let peer: FakePeer | null = null;
  const session = new MediaSession({
    signal: (message) => {
      sent.push(message);
      return reply(message);
    },
    onTrack: (remote) => tracks.push(remote),
    onTrackEnded: (remote) => ended.push(remote),
    onState: (state) => states.push(state),
    onError: (message) => errors.push(message),
    createPeer: (config) => {
      peer = new FakePeer(config);
      return peer as unknown as RTCPeerConnection;
    },
    glareWaitMs: 50,
    politeHoldMs: 30,
    direct,
    ...options,
  });
  return { session, peer: peer as unknown as FakePeer, sent, states, tracks, ended, errors };
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

export const fromSfu = (type: 'offer' | 'answer', sdp: string): ServerEvent => ({
  type,
  data: { from: 'sfu', sdp },
});
