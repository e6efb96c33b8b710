import { describe, expect, it } from 'vitest';
import type { ServerEvent } from '@/api';
import type { DirectPeer } from './peer-connection';
import { streamOwner } from './peer-connection';
import type { FakePeer } from '@/test/fake-peer';
import {
  fakeStream,
  fakeTrack,
  fromSfu,
  refusal,
  settle,
  setUpSession as setUp,
} from '@/test/media-session';

describe('MediaSession', () => {
  it('publishes a sendonly transceiver and offers it without a `to`', async () => {
    const { session, peer, sent } = setUp();
    const stream = fakeStream('local');
    session.publish(fakeTrack('audio'), stream);
    await settle();
    expect(peer.transceivers[0]?.direction).toBe('sendonly');
    expect(peer.config.iceServers).toEqual([]);
    expect(sent).toEqual([{ type: 'offer', data: { sdp: 'client-offer-1' } }]);
    session.handle(fromSfu('answer', 'server-answer'));
    await settle();
    expect(peer.signalingState).toBe('stable');
    expect(peer.remoteDescription?.sdp).toBe('server-answer');
  });

  it('makes one offer at a time and a second one after the answer', async () => {
    const { session, peer, sent } = setUp();
    session.publish(fakeTrack('audio'), fakeStream('local'));
    await settle();
    session.publish(fakeTrack('video'), fakeStream('local'));
    await settle();
    expect(sent.filter((m) => m.type === 'offer')).toHaveLength(1);
    session.handle(fromSfu('answer', 'a1'));
    await settle();
    expect(sent.filter((m) => m.type === 'offer')).toHaveLength(2);
    expect(peer.signalingState).toBe('have-local-offer');
  });

  it('answers a server offer', async () => {
    const { session, peer, sent } = setUp();
    session.handle(fromSfu('offer', 'server-offer'));
    await settle();
    expect(sent).toEqual([{ type: 'answer', data: { sdp: 'client-answer-to-server-offer' } }]);
    expect(peer.signalingState).toBe('stable');
  });

  it('rolls back its own offer when the server offer crosses it, then offers again', async () => {
    const { session, peer, sent } = setUp();
    session.publish(fakeTrack('audio'), fakeStream('local'));
    await settle();
    session.handle(fromSfu('offer', 'server-offer'));
    await settle();
    expect(peer.log).toEqual([
      'local:offer',
      'local:rollback',
      'remote:offer',
      'local:answer',
      'local:offer',
    ]);
    expect(sent.map((m) => m.type)).toEqual(['offer', 'answer', 'offer']);
    // The answer to the dropped offer is ignored; the one to the new offer is used.
    session.handle(fromSfu('answer', 'late'));
    await settle();
    expect(peer.remoteDescription?.sdp).toBe('late');
  });

  it('after negotiation_glare waits for the server offer, answers it, then offers again', async () => {
    const glare = Object.assign(new Error('pending'), { code: 'negotiation_glare' });
    let first = true;
    const { session, peer, sent, errors } = setUp((message) => {
      if (message.type === 'offer' && first) {
        first = false;
        return Promise.reject(glare);
      }
      return Promise.resolve({});
    });
    session.publish(fakeTrack('video'), fakeStream('local'));
    await settle();
    await settle();
    expect(peer.signalingState).toBe('stable'); // rolled back, waiting
    expect(sent.map((m) => m.type)).toEqual(['offer']);
    session.handle(fromSfu('offer', 'server-offer'));
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['offer', 'answer', 'offer']);
    expect(errors).toEqual([]);
  });

  it('offers again by itself when the server offer never comes after a glare', async () => {
    const glare = Object.assign(new Error('pending'), { code: 'negotiation_glare' });
    let first = true;
    const { session, sent } = setUp((message) => {
      if (message.type === 'offer' && first) {
        first = false;
        return Promise.reject(glare);
      }
      return Promise.resolve({});
    });
    session.publish(fakeTrack('video'), fakeStream('local'));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(sent.map((m) => m.type)).toEqual(['offer', 'offer']);
  });

  it('reports other refusals, rolls back and offers again later', async () => {
    let refused = 0;
    const { session, peer, sent, errors } = setUp(
      (message) => {
        if (message.type === 'offer' && refused++ === 0) {
          return Promise.reject(refusal('invalid_sdp'));
        }
        return Promise.resolve({});
      },
      undefined,
      { retry: { initialMs: 20, maxMs: 20 } },
    );
    session.publish(fakeTrack('video'), fakeStream('local'));
    await settle();
    await settle();
    expect(errors).toEqual(['refused: invalid_sdp']);
    expect(peer.signalingState).toBe('stable');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(sent.map((m) => m.type)).toEqual(['offer', 'offer']);
    expect(peer.signalingState).toBe('have-local-offer');
  });

  it('sends its candidates and queues the server candidates until a remote description', async () => {
    const { session, peer, sent } = setUp();
    peer.onicecandidate?.({
      candidate: {
        candidate: 'candidate:1',
        toJSON: () => ({ candidate: 'candidate:1', sdpMid: '0' }),
      },
    });
    peer.onicecandidate?.({ candidate: null });
    expect(sent).toEqual([
      { type: 'ice-candidate', data: { candidate: { candidate: 'candidate:1', sdpMid: '0' } } },
    ]);
    const candidate: ServerEvent = {
      type: 'ice-candidate',
      data: { from: 'sfu', candidate: { candidate: 'candidate:9', sdpMid: '0' } },
    };
    session.handle(candidate);
    await settle();
    expect(peer.candidates).toEqual([]);
    session.handle(fromSfu('offer', 'o'));
    await settle();
    expect(peer.candidates).toEqual([{ candidate: 'candidate:9', sdpMid: '0' }]);
  });

  it('ignores media events from other people', async () => {
    const { session, sent } = setUp();
    session.handle({ type: 'offer', data: { from: 'u-bob', sdp: 'p2p' } });
    await settle();
    expect(sent).toEqual([]);
  });

  it('names remote tracks by their stream and reports their removal', () => {
    const { session, peer, tracks, ended } = setUp();
    const camera = fakeStream('u-bob');
    const screen = fakeStream('u-bob:screen');
    peer.ontrack?.({ track: fakeTrack('audio', 'ta'), streams: [camera] });
    const shared = fakeTrack('video', 'ts');
    peer.ontrack?.({ track: shared, streams: [screen] });
    expect(tracks.map((t) => [t.userId, t.source, t.kind])).toEqual([
      ['u-bob', 'camera', 'audio'],
      ['u-bob', 'screen', 'video'],
    ]);
    const removed = { track: shared } as MediaStreamTrackEvent;
    screen.onremovetrack?.(removed);
    expect(ended.map((t) => t.source)).toEqual(['screen']);
    expect(session.remoteTracks()).toHaveLength(1);
    session.close();
    expect(ended).toHaveLength(2);
    expect(peer.closed).toBe(true);
  });

  it('stops a published track with an inactive transceiver and a new offer', async () => {
    const { session, peer, sent } = setUp();
    const sender = session.publish(fakeTrack('video'), fakeStream('local'));
    await settle();
    session.handle(fromSfu('answer', 'a1'));
    await session.unpublish(sender);
    await settle();
    expect(peer.transceivers[0]?.direction).toBe('inactive');
    expect(peer.transceivers[0]?.sender.track).toBeNull();
    expect(sent.filter((m) => m.type === 'offer')).toHaveLength(2);
  });

  it('caps the bitrate and size of the first encoding', async () => {
    const { session, peer } = setUp();
    const sender = session.publish(fakeTrack('video'), fakeStream('local'));
    await session.setVideoLimit(sender, { maxBitrate: 600_000, scaleResolutionDownBy: 2 });
    expect(peer.transceivers[0]?.sender.parameters.encodings).toEqual([
      { maxBitrate: 600_000, scaleResolutionDownBy: 2 },
    ]);
  });

  it('reports the connection state', () => {
    const { peer, states } = setUp();
    for (const state of ['connecting', 'connected', 'disconnected', 'failed', 'closed'] as const) {
      peer.setConnection(state);
    }
    expect(states).toEqual(['new', 'connecting', 'connected', 'reconnecting', 'failed']);
  });

  it('does nothing once closed', async () => {
    const { session, sent } = setUp();
    session.close();
    session.close();
    session.handle(fromSfu('offer', 'o'));
    session.negotiate();
    await settle();
    expect(sent).toEqual([]);
  });
});

describe('MediaSession straight to another browser', () => {
  const BUDI = 'u-budi';
  const direct = (polite: boolean): DirectPeer => ({
    userId: BUDI,
    polite,
    streamName: (id) => (id === 'cam' ? 'u-ayu' : undefined),
  });
  const fromBudi = (type: 'offer' | 'answer', sdp: string): ServerEvent => ({
    type,
    data: { from: BUDI, sdp },
  });
  /** A fake offer whose SDP names the local camera stream. */
  const withMsid = (peer: FakePeer) => {
    peer.createOffer = () => {
      peer.offers += 1;
      return Promise.resolve({ type: 'offer' as const, sdp: `o${peer.offers}\r\na=msid:cam t1` });
    };
  };

  it('sends its offer and candidates to that person, with my streams named after me', async () => {
    const { session, peer, sent } = setUp(undefined, direct(false));
    withMsid(peer);
    session.publish(fakeTrack('video'), fakeStream('cam'));
    await settle();
    peer.onicecandidate?.({
      candidate: { candidate: 'candidate:1', toJSON: () => ({ candidate: 'candidate:1' }) },
    });
    expect(sent).toEqual([
      { type: 'offer', data: { sdp: 'o1\r\na=msid:u-ayu t1', to: BUDI } },
      { type: 'ice-candidate', data: { candidate: { candidate: 'candidate:1' }, to: BUDI } },
    ]);
    expect(session.directPeer).toBe(BUDI);
  });

  it('listens to that person only', async () => {
    const { session, sent } = setUp(undefined, direct(true));
    session.handle(fromSfu('offer', 'from-the-sfu'));
    await settle();
    expect(sent).toEqual([]);
    session.handle(fromBudi('offer', 'from-budi'));
    await settle();
    expect(sent).toEqual([
      { type: 'answer', data: { sdp: 'client-answer-to-from-budi', to: BUDI } },
    ]);
  });

  it('impolite: keeps its own offer when theirs crosses it', async () => {
    const { session, peer, sent } = setUp(undefined, direct(false));
    session.publish(fakeTrack('audio'), fakeStream('cam'));
    await settle();
    session.handle(fromBudi('offer', 'crossing'));
    session.handle({
      type: 'ice-candidate',
      data: { from: BUDI, candidate: { candidate: 'candidate:of-the-ignored-offer' } },
    });
    await settle();
    expect(peer.log).toEqual(['local:offer']); // no rollback, their offer not applied
    expect(sent.filter((m) => m.type === 'answer')).toEqual([]);
    peer.addIceCandidate = () => Promise.reject(new Error('no such transport'));
    session.handle(fromBudi('answer', 'their-answer'));
    await settle();
    expect(peer.signalingState).toBe('stable'); // the candidate that did not fit is dropped
  });

  it('polite: lets the other side offer first, then offers its own', async () => {
    const { session, peer, sent } = setUp(undefined, direct(true));
    session.publish(fakeTrack('audio'), fakeStream('cam'));
    await settle();
    expect(sent).toEqual([]); // held for the other's offer
    session.handle(fromBudi('offer', 'theirs'));
    await settle();
    expect(peer.log).toEqual(['remote:offer', 'local:answer', 'local:offer']);
    expect(sent.map((m) => m.type)).toEqual(['answer', 'offer']);
  });

  it('polite: offers after a while when the other side has nothing to offer', async () => {
    const { session, sent } = setUp(undefined, direct(true));
    session.publish(fakeTrack('audio'), fakeStream('cam'));
    await settle();
    expect(sent).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent.map((m) => m.type)).toEqual(['offer']);
  });

  it('polite: rolls its offer back, answers theirs, then offers again', async () => {
    const { session, peer, sent } = setUp(undefined, direct(true));
    session.publish(fakeTrack('audio'), fakeStream('cam'));
    await new Promise((resolve) => setTimeout(resolve, 60)); // the hold is over
    session.handle(fromBudi('offer', 'crossing'));
    await settle();
    expect(peer.log).toEqual([
      'local:offer',
      'local:rollback',
      'remote:offer',
      'local:answer',
      'local:offer',
    ]);
    expect(sent.map((m) => m.type)).toEqual(['offer', 'answer', 'offer']);
  });

  it('credits every track to that person, whatever its stream claims', () => {
    const { peer, tracks } = setUp(undefined, direct(true));
    const track = fakeTrack('video', 'v9');
    peer.ontrack?.({ track, streams: [fakeStream('u-someone-else:screen')] });
    expect(tracks[0]).toMatchObject({ userId: BUDI, source: 'screen', kind: 'video' });
  });

  it('adds the candidates that fit when one that came early does not', async () => {
    const { session, peer, errors } = setUp(undefined, direct(true));
    const added: string[] = [];
    peer.addIceCandidate = (candidate: RTCIceCandidateInit) => {
      if (candidate.candidate === 'candidate:stale') {
        return Promise.reject(new Error('stale'));
      }
      added.push(candidate.candidate ?? '');
      return Promise.resolve();
    };
    for (const candidate of ['candidate:stale', 'candidate:good']) {
      session.handle({ type: 'ice-candidate', data: { from: BUDI, candidate: { candidate } } });
    }
    session.handle(fromBudi('offer', 'theirs'));
    await settle();
    expect(added).toEqual(['candidate:good']);
    expect(errors).toEqual(['stale']);
  });
});

describe('streamOwner', () => {
  it('tells the camera stream from the screen stream', () => {
    expect(streamOwner('u1')).toEqual({ userId: 'u1', source: 'camera' });
    expect(streamOwner('u1:screen')).toEqual({ userId: 'u1', source: 'screen' });
  });
});
