// Negotiation with the SFU when a message of either side does not get the reply it wanted:
// each case ended, before, with a connection that had tracks to publish and stayed without a
// remote description (or with both sides waiting for each other).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientMessage } from '@/api';
import { refusalOf } from './negotiation';
import type { Reply } from '@/test/media-session';
import { fakeStream, fakeTrack, fromSfu, refusal, setUpSession } from '@/test/media-session';

const RETRY = { initialMs: 100, maxMs: 400 };

/** Refuses the first `count` messages of `type` with `code`, acks everything else. */
function refusing(type: ClientMessage['type'], code: string, count = 1): Reply {
  let left = count;
  return (message) => {
    if (message.type === type && left > 0) {
      left -= 1;
      return Promise.reject(refusal(code));
    }
    return Promise.resolve({});
  };
}

function setUp(reply: Reply) {
  // random() = 1: every wait is its full step (100, 200, 400, 400... ms).
  return setUpSession(reply, undefined, { retry: RETRY, random: () => 1, lateAnswerMs: 5000 });
}

const offers = (sent: ClientMessage[]) => sent.filter((m) => m.type === 'offer');
const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('MediaSession when its offer goes nowhere', () => {
  it.each(['invalid_sdp', 'rate_limited', 'media_not_started', 'not_connected'])(
    'offers again after a wait when the server answers %s',
    async (code) => {
      const { session, peer, sent } = setUp(refusing('offer', code));
      session.publish(fakeTrack('video'), fakeStream('local'));
      await wait(0);
      expect(offers(sent)).toHaveLength(1);
      expect(peer.signalingState).toBe('stable'); // rolled back
      await wait(100);
      expect(offers(sent)).toHaveLength(2);
      session.handle(fromSfu('answer', 'server-answer'));
      await wait(0);
      expect(peer.signalingState).toBe('stable');
      expect(peer.remoteDescription?.sdp).toBe('server-answer');
    },
  );

  it('waits longer after each refusal in a row, up to a cap', async () => {
    const { session, sent } = setUp(refusing('offer', 'invalid_sdp', 10));
    session.publish(fakeTrack('video'), fakeStream('local'));
    const counts: number[] = [];
    for (const step of [0, 99, 1, 199, 1, 399, 1, 399, 1]) {
      await wait(step);
      counts.push(offers(sent).length);
    }
    // Offers at 0, 100, 300 (100 + 200), 700 (+ 400) and 1100 (+ 400, the cap).
    expect(counts).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5]);
  });

  it('starts from the shortest wait again once an offer is answered', async () => {
    const { session, sent } = setUp(refusing('offer', 'invalid_sdp', 2));
    session.publish(fakeTrack('audio'), fakeStream('local'));
    await wait(300); // refused at 0 and 100, offered again at 300
    expect(offers(sent)).toHaveLength(3);
    session.handle(fromSfu('answer', 'a3'));
    await wait(0);
    session.publish(fakeTrack('video'), fakeStream('local'));
    await wait(0);
    expect(offers(sent)).toHaveLength(4);
  });

  it('makes the offer again when the browser could not make it', async () => {
    const { session, peer, sent, errors } = setUp(() => Promise.resolve({}));
    const createOffer = peer.createOffer.bind(peer);
    let failures = 1;
    peer.createOffer = () =>
      failures-- > 0 ? Promise.reject(new Error('no offer now')) : createOffer();
    session.publish(fakeTrack('video'), fakeStream('local'));
    await wait(0);
    expect(errors).toEqual(['no offer now']);
    expect(offers(sent)).toHaveLength(0);
    await wait(100);
    expect(offers(sent)).toHaveLength(1);
  });

  it('keeps a timed-out offer: the server answers it late, and that answer is applied', async () => {
    // The server took the offer (the person's tracks are published there) but replied after
    // the request's 10 s: the answer must not be thrown away with a rolled-back offer.
    const { session, peer, sent } = setUp(refusing('offer', 'timeout'));
    session.publish(fakeTrack('video'), fakeStream('local'));
    await wait(0);
    expect(peer.signalingState).toBe('have-local-offer');
    session.handle(fromSfu('answer', 'late-answer'));
    await wait(1000);
    expect(peer.remoteDescription?.sdp).toBe('late-answer');
    expect(peer.log).toEqual(['local:offer', 'remote:answer']);
    expect(offers(sent)).toHaveLength(1);
  });

  it('fails the connection when a timed-out offer is never answered', async () => {
    const { session, states, errors } = setUp(refusing('offer', 'timeout'));
    session.publish(fakeTrack('video'), fakeStream('local'));
    await wait(4999);
    expect(states).toEqual(['new']);
    await wait(1);
    expect(states).toEqual(['new', 'failed']);
    expect(errors.at(-1)).toBe('The offer was never answered.');
  });

  it('fails the connection when the answer to its offer cannot be applied', async () => {
    const { session, peer, sent, states } = setUp(() => Promise.resolve({}));
    session.publish(fakeTrack('video'), fakeStream('local'));
    await wait(0);
    peer.setRemoteDescription = () => Promise.reject(new Error('bad answer'));
    session.handle(fromSfu('answer', 'unusable'));
    await wait(0);
    expect(states).toEqual(['new', 'failed']);
    session.negotiate();
    session.handle(fromSfu('offer', 'later'));
    await wait(1000);
    expect(offers(sent)).toHaveLength(1); // a failed connection negotiates no more
  });
});

describe('MediaSession when the server offers', () => {
  it('fails the connection when it cannot answer (the server would wait for ever)', async () => {
    const { session, peer, states, errors } = setUp(() => Promise.resolve({}));
    peer.setRemoteDescription = () => Promise.reject(new Error('bad offer'));
    session.handle(fromSfu('offer', 'unusable'));
    await wait(0);
    expect(states).toEqual(['new', 'failed']);
    expect(errors).toEqual(['The offer could not be answered: bad offer']);
  });

  it('fails the connection when it cannot answer after rolling its own offer back', async () => {
    const { session, peer, states } = setUp(() => Promise.resolve({}));
    session.publish(fakeTrack('video'), fakeStream('local'));
    await wait(0);
    peer.setRemoteDescription = () => Promise.reject(new Error('bad offer'));
    session.handle(fromSfu('offer', 'crossing'));
    await wait(0);
    expect(states).toEqual(['new', 'failed']);
  });

  it('sends its answer again when the rate limit dropped it', async () => {
    const { session, sent } = setUp(refusing('answer', 'rate_limited'));
    session.handle(fromSfu('offer', 'server-offer'));
    await wait(0);
    expect(sent.filter((m) => m.type === 'answer')).toHaveLength(1);
    await wait(100);
    expect(sent.filter((m) => m.type === 'answer')).toEqual([
      { type: 'answer', data: { sdp: 'client-answer-to-server-offer' } },
      { type: 'answer', data: { sdp: 'client-answer-to-server-offer' } },
    ]);
  });

  it('fails the connection when the server refuses its answer', async () => {
    const { session, states } = setUp(refusing('answer', 'invalid_sdp'));
    session.handle(fromSfu('offer', 'server-offer'));
    await wait(0);
    expect(states).toEqual(['new', 'failed']);
  });

  it('does not send again an answer that only timed out', async () => {
    const { session, sent, states } = setUp(refusing('answer', 'timeout'));
    session.handle(fromSfu('offer', 'server-offer'));
    await wait(10_000);
    expect(sent.filter((m) => m.type === 'answer')).toHaveLength(1);
    expect(states).toEqual(['new']);
  });
});

describe('refusalOf', () => {
  it('tells what became of a message from the error code', () => {
    expect(refusalOf(refusal('negotiation_glare'))).toBe('glare');
    expect(refusalOf(refusal('timeout'))).toBe('unanswered');
    expect(refusalOf(refusal('rate_limited'))).toBe('dropped');
    expect(refusalOf(refusal('disconnected'))).toBe('dropped');
    expect(refusalOf(refusal('invalid_sdp'))).toBe('refused');
    expect(refusalOf(new Error('no code'))).toBe('refused');
  });
});
