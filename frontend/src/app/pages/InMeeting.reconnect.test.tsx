import { act, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useDisplayMedia } from '@/store/media-call';
import type { FakePeer } from '@/test/fake-peer';
import type { FakeSocket } from '@/test/fake-socket';
import { fakeStream, FakeTrack } from '@/test/media';
import type { fakeSignaling } from '@/test/meeting';
import { aLiveParticipant, aRoomState } from '@/test/meeting';
import {
  ackLast,
  budi,
  joinMeetingAs,
  setUpMeetingPage,
  tearDownMeetingPage,
} from '@/test/in-meeting';

// A screen share across a signaling reconnect (the call machine asks for one when the SFU
// connection is lost, e.g. its ICE consent expired): the server drops the media session
// with the socket, and the share must go on in the new one, or the person be told it ended.

let signaling: ReturnType<typeof fakeSignaling>;
let peers: FakePeer[];

beforeAll(async () => {
  await import('./MeetingPage');
});

beforeEach(() => {
  ({ signaling, peers } = setUpMeetingPage());
});

afterEach(tearDownMeetingPage);

async function sharing(): Promise<{ socket: FakeSocket; track: FakeTrack }> {
  const socket = await joinMeetingAs(signaling, 'participant');
  await ackLast(socket, 'join_room');
  const track = new FakeTrack('video');
  useDisplayMedia(() => Promise.resolve(fakeStream([track])));
  fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
  await waitFor(() => {
    expect(socket.lastSent()).toMatchObject({ type: 'screen_share' });
  });
  await ackLast(socket, 'screen_share');
  await act(() => {
    socket.receive({
      type: 'participant_updated',
      data: { participant: aLiveParticipant({ role: 'participant', screen: true }) },
    });
  });
  return { socket, track };
}

/** The socket drops and comes back (`meanwhile` happens in between); the server kept my
 * flags, the screen's on. */
async function reconnect(socket: FakeSocket, meanwhile?: () => void): Promise<FakeSocket> {
  await act(() => {
    socket.drop(1006);
    meanwhile?.();
  });
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
  });
  const again = signaling.latest();
  expect(again).not.toBe(socket);
  await act(() => {
    again.open();
    again.receive(
      aRoomState([aLiveParticipant({ role: 'participant', screen: true }), budi], {
        role: 'participant',
      }),
    );
  });
  await ackLast(again, 'join_room');
  return again;
}

const announced = (socket: FakeSocket) =>
  socket.sent.filter((message) => message.type === 'screen_share');

describe('a screen share and a reconnect', () => {
  it('goes on: announced again with its track and sent on the new connection', async () => {
    const { socket, track } = await sharing();
    const again = await reconnect(socket);
    await waitFor(() => {
      expect(announced(again)).toMatchObject([{ data: { active: true, track_id: track.id } }]);
    });
    await ackLast(again, 'screen_share');
    expect(track.readyState).toBe('live');
    await waitFor(() => {
      expect(peers[1]!.transceivers.map((t) => t.sender.track)).toContain(track);
    });
    expect(screen.getByRole('button', { name: 'Stop sharing' })).toBeInTheDocument();
  });

  it('tells the server when the person ended the share meanwhile', async () => {
    const { socket, track } = await sharing();
    const again = await reconnect(socket, () => {
      track.stop(); // the browser's "Stop sharing" bar, while the page reconnected
      track.onended?.();
    });
    await waitFor(() => {
      expect(announced(again)).toMatchObject([{ data: { active: false } }]);
    });
    expect(screen.getByRole('button', { name: 'Share screen' })).toBeInTheDocument();
  });

  it('says it ended when the server refuses it on the new connection', async () => {
    const { socket, track } = await sharing();
    const again = await reconnect(socket);
    await waitFor(() => {
      expect(announced(again)).toHaveLength(1);
    });
    await act(async () => {
      again.receive({
        type: 'error',
        id: announced(again)[0]!.id!,
        data: { code: 'not_allowed', message: 'Screen sharing is off in this room.' },
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(await screen.findByText('Your screen share ended')).toBeInTheDocument();
    expect(track.readyState).toBe('ended');
    expect(screen.getByRole('button', { name: 'Share screen' })).toBeInTheDocument();
  });
});
