import { act, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaModeAdvice } from '@/api';
import { HANDOVER_MS } from '@/rtc/call-machine';
import { callStore } from '@/store/media-call';
import type { FakePeer } from '@/test/fake-peer';
import { receiveTrack } from '@/test/fake-peer';
import type { FakeSocket } from '@/test/fake-socket';
import {
  ackLast,
  budi,
  joinMeetingAs,
  setUpMeetingPage,
  tearDownMeetingPage,
} from '@/test/in-meeting';
import { fakeStream, FakeTrack } from '@/test/media';
import type { fakeSignaling } from '@/test/meeting';

// Two people in a room set to "Automatic": the server advises a direct call, and the app
// moves to the SFU when a third person comes or the direct connection does not work.

let signaling: ReturnType<typeof fakeSignaling>;
/** peers[0] is the SFU connection; a direct one comes after it. */
let peers: FakePeer[];

// The app loads this page lazily: loaded once here, the first test does not spend its
// findBy wait on transforming the page's modules (over a second on a busy machine).
beforeAll(async () => {
  await import('./MeetingPage');
});

beforeEach(() => {
  ({ signaling, peers } = setUpMeetingPage());
});

afterEach(tearDownMeetingPage);

async function advise(socket: FakeSocket, advice: MediaModeAdvice) {
  await act(() => {
    socket.receive({ type: 'media_mode', data: advice });
  });
}

/** Joined, advised a direct call with Budi (before the join's ack, as the server does). */
async function inDirectCall(): Promise<{ socket: FakeSocket; sfu: FakePeer; direct: FakePeer }> {
  const socket = await joinMeetingAs(signaling, 'participant');
  await advise(socket, { mode: 'p2p', peer: 'u-budi', polite: false });
  await ackLast(socket, 'join_room');
  await waitFor(() => {
    expect(peers[1]?.transceivers).toHaveLength(2);
  });
  return { socket, sfu: peers[0]!, direct: peers[1]! };
}

/** Budi's camera (and, with `withMic`, his microphone after it) arriving on `peer`;
 * returns his stream there. */
function budiSends(peer: FakePeer, withMic = false): MediaStream {
  const tracks = [new FakeTrack('video'), ...(withMic ? [new FakeTrack('audio')] : [])];
  const stream = fakeStream(tracks, 'u-budi');
  for (const track of tracks) {
    receiveTrack(peer, track as unknown as MediaStreamTrack, stream);
  }
  return stream;
}

const budiTile = () => callStore.getState().remotes['u-budi'];

const route = () => document.querySelector('[data-media-route]')?.getAttribute('data-media-route');

describe('a call of two in a room set to Automatic', () => {
  it('sends microphone and camera straight to the other person', async () => {
    const { socket, sfu, direct } = await inDirectCall();
    expect(sfu.transceivers).toEqual([]);
    expect(direct.transceivers.map((t) => t.direction)).toEqual(['sendonly', 'sendonly']);
    await waitFor(() => {
      expect(socket.sent.find((m) => m.type === 'offer')).toMatchObject({
        data: { sdp: 'client-offer-1', to: 'u-budi' },
      });
    });
    expect(route()).toBe('direct');
    expect(screen.queryByText('Direct connection')).not.toBeInTheDocument();
    await act(() => {
      direct.setConnection('connected');
    });
    expect(screen.getByText('Direct connection')).toBeInTheDocument();
    // What Budi sends arrives on the direct connection and is his.
    await act(() => {
      budiSends(direct);
    });
    expect(callStore.getState().remotes['u-budi']?.hasVideo).toBe(true);
  });

  it('moves to the SFU for a third person and keeps the direct call until the SFU brings them', async () => {
    const { socket, sfu, direct } = await inDirectCall();
    await act(() => {
      direct.setConnection('connected');
      budiSends(direct);
    });
    await advise(socket, { mode: 'sfu' });
    expect(sfu.transceivers.map((t) => t.direction)).toEqual(['sendonly', 'sendonly']);
    expect(route()).toBe('sfu');
    expect(screen.queryByText('Direct connection')).not.toBeInTheDocument();
    expect(direct.closed).toBe(false); // Budi still plays from the direct connection
    let fromSfu: MediaStream | null = null;
    await act(() => {
      fromSfu = budiSends(sfu);
    });
    expect(direct.closed).toBe(true);
    expect(callStore.getState().remotes['u-budi']?.stream).toBe(fromSfu);
    // The closed direct connection's tracks ending does not take Budi away.
    expect(callStore.getState().remotes['u-budi']?.hasVideo).toBe(true);
    // Back at two, the room stays on the SFU.
    await advise(socket, { mode: 'p2p', peer: 'u-budi', polite: true });
    expect(peers).toHaveLength(2);
  });

  it('gives way to the SFU when the direct connection fails, and stays there for that person', async () => {
    const { socket, sfu, direct } = await inDirectCall();
    await act(() => {
      direct.setConnection('failed');
    });
    expect(sfu.transceivers).toHaveLength(2);
    expect(route()).toBe('sfu');
    await advise(socket, { mode: 'p2p', peer: 'u-budi', polite: false }); // Budi reconnected
    expect(peers).toHaveLength(2); // no second direct attempt with him
    expect(route()).toBe('sfu');
  });

  it('closes the direct connection when the other person leaves, and waits for the next', async () => {
    const { socket, direct } = await inDirectCall();
    await act(() => {
      socket.receive({ type: 'participant_left', data: { user_id: budi.user_id, reason: 'left' } });
    });
    expect(direct.closed).toBe(true);
    expect(route()).toBe('waiting');
    await advise(socket, { mode: 'p2p', peer: 'u-citra', polite: true });
    await waitFor(() => {
      expect(peers[2]?.transceivers).toHaveLength(2); // my tracks go to Citra now
    });
    expect(route()).toBe('direct');
  });

  it('keeps Budi on the SFU stream when a late track of the direct connection comes after it', async () => {
    const { sfu, direct } = await inDirectCall();
    // Budi could not reach me directly and went to the SFU; my direct attempt still runs,
    // and the offer he sent before giving up brings his tracks on it after the SFU's.
    let fromSfu: MediaStream | null = null;
    await act(() => {
      fromSfu = budiSends(sfu, true);
    });
    await act(() => {
      budiSends(direct, true);
    });
    expect(budiTile()?.stream).toBe(fromSfu);
    // My side gives up too; when the direct connection closes, the SFU's stream stays.
    await act(() => {
      direct.setConnection('failed');
    });
    await act(() => {
      budiSends(sfu); // (say, a renegotiation): the SFU brings Budi, the handover ends
    });
    expect(direct.closed).toBe(true);
    expect(budiTile()?.stream).not.toBeUndefined();
    expect(budiTile()?.stream.id).toBe('u-budi');
    expect(budiTile()?.hasVideo).toBe(true);
  });

  it('lets go of the closed direct stream when the handover ends before the SFU brings Budi', async () => {
    const { socket, direct } = await inDirectCall();
    await act(() => {
      direct.setConnection('connected');
      budiSends(direct, true); // camera first, then microphone
    });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await advise(socket, { mode: 'sfu' });
      await act(() => {
        vi.advanceTimersByTime(HANDOVER_MS); // the SFU has not brought Budi yet (a busy machine)
      });
    } finally {
      vi.useRealTimers();
    }
    expect(direct.closed).toBe(true);
    // Nothing brings Budi now: no tile may stay bound to the closed connection's stream,
    // whose tracks end (a black video while its video track is taken as live).
    expect(budiTile()).toBeUndefined();
  });
});
