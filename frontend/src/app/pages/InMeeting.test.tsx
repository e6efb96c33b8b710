import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RoomRole } from '@/api';
import { callStore, useDisplayMedia } from '@/store/media-call';
import { mediaStore, PREFS_KEY } from '@/store/media';
import type { FakePeer } from '@/test/fake-peer';
import { receiveTrack } from '@/test/fake-peer';
import { fakeStream, FakeTrack } from '@/test/media';
import type { fakeSignaling } from '@/test/meeting';
import { aLiveParticipant, aRoomState } from '@/test/meeting';
import {
  ackLast,
  budi,
  joinMeetingAs,
  openPanel,
  setUpMeetingPage,
  tearDownMeetingPage,
} from '@/test/in-meeting';

let signaling: ReturnType<typeof fakeSignaling>;
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

const joinAs = (role: RoomRole, beforeJoin?: () => Promise<void>) =>
  joinMeetingAs(signaling, role, beforeJoin);

describe('in the meeting', () => {
  it('lists the people with roles and flags, and shows chat history as text', async () => {
    await joinAs('participant');
    openPanel('People');
    const people = screen.getByRole('list', { name: 'Participants' });
    const rows = within(people).getAllByRole('listitem');
    expect(rows[0]).toHaveTextContent('Ayu Lestari (you)');
    expect(rows[1]).toHaveTextContent('Budi Santoso');
    expect(within(rows[1]!).getByRole('img', { name: 'Microphone on' })).toBeInTheDocument();
    expect(within(people).queryByRole('button', { name: /Remove/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'End for everyone' })).toBeNull();

    openPanel('Chat');
    const log = screen.getByRole('log', { name: 'Chat messages' });
    expect(await within(log).findByText(/<b>x<\/b>/)).toBeInTheDocument();
    expect(log.querySelector('b')).toBeNull();
    const link = within(log).getByRole('link', { name: 'https://example.id/doc' });
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('sends chat and media flags, and follows updates from others', async () => {
    const socket = await joinAs('participant');
    openPanel('Chat');
    fireEvent.input(screen.getByLabelText('Message'), { target: { value: 'Halo semua' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send message' }));
    expect(socket.lastSent()).toMatchObject({ type: 'chat', data: { text: 'Halo semua' } });
    expect(await screen.findByText('Halo semua')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(socket.lastSent()).toMatchObject({ type: 'mute', data: { muted: true } });
    fireEvent.click(screen.getByRole('button', { name: 'Raise hand' }));
    expect(socket.lastSent()).toMatchObject({ type: 'raise_hand', data: { raised: true } });
    fireEvent.click(screen.getByRole('button', { name: 'Stop camera' }));
    expect(socket.lastSent()).toMatchObject({ type: 'video', data: { enabled: false } });

    await act(() => {
      socket.receive({
        type: 'participant_updated',
        data: { participant: { ...budi, muted: true, hand: true } },
      });
    });
    openPanel('People');
    const people = screen.getByRole('list', { name: 'Participants' });
    expect(within(people).getByRole('img', { name: 'Microphone off' })).toBeInTheDocument();
    expect(within(people).getByRole('img', { name: 'Hand raised' })).toBeInTheDocument();
  });

  it('lets a host mute and, after confirming, remove someone', async () => {
    const socket = await joinAs('host');
    // This server does not record (room_state.recording_available), so not even a host is
    // offered a Record button (InMeeting.recording.test.tsx has the rest).
    expect(screen.queryByRole('button', { name: /record/i })).toBeNull();
    openPanel('People');
    fireEvent.click(screen.getByRole('button', { name: 'Mute Budi Santoso' }));
    expect(socket.lastSent()).toMatchObject({
      type: 'mute_participant',
      data: { userId: 'u-budi' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Remove Budi Santoso' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove Budi Santoso?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(socket.lastSent()).toMatchObject({
      type: 'remove_participant',
      data: { userId: 'u-budi' },
    });
    await act(async () => {
      socket.receive({ type: 'ack', id: socket.lastSent().id!, data: {} });
      await Promise.resolve();
    });
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    expect(screen.queryByRole('button', { name: 'Remove Ayu Lestari' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'End for everyone' }));
    expect(screen.getByRole('dialog', { name: 'End the meeting for everyone?' })).toBeVisible();
  });

  it('shows a reconnecting banner while the connection is down', async () => {
    const socket = await joinAs('participant');
    await act(() => {
      socket.drop(1006);
    });
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting…');
    expect(screen.getByRole('button', { name: 'Mute' })).toBeDisabled();
  });

  it('says when the host ended the meeting', async () => {
    const socket = await joinAs('participant');
    await act(() => {
      socket.receive({ type: 'room_ended', data: { by: 'u-hana' } });
      socket.drop(4410);
    });
    expect(screen.getByRole('heading', { name: 'The host ended the meeting' })).toBeVisible();
  });

  it('tells the host who ended the meeting that they did, not "the host"', async () => {
    const socket = await joinAs('host');
    await act(() => {
      socket.receive({ type: 'room_ended', data: { by: 'u-ayu' } });
      socket.drop(4410);
    });
    expect(
      screen.getByRole('heading', { name: 'You ended the meeting for everyone' }),
    ).toBeVisible();
    expect(screen.queryByText('The host ended the meeting')).toBeNull();
  });

  it('says when you were removed, and turns the camera and microphone off', async () => {
    const socket = await joinAs('participant');
    const camera = mediaStore.getState().videoTrack;
    expect(camera?.readyState).toBe('live');
    await act(() => {
      socket.receive({ type: 'removed', data: { by: 'u-hana' } });
      socket.drop(4403);
    });
    expect(
      screen.getByRole('heading', { name: 'You were removed from the meeting' }),
    ).toBeVisible();
    expect(camera?.readyState).toBe('ended');
    expect(
      screen.getByRole('heading', { name: 'You were removed from the meeting' }),
    ).toBeVisible();
  });
});

describe('media in the meeting', () => {
  it('starts media, publishes what the pre-join left on and shows remote video', async () => {
    const socket = await joinAs('participant');
    expect(socket.sent.find((m) => m.type === 'join_room')).toMatchObject({
      data: { media: true },
    });
    await ackLast(socket, 'join_room');
    const peer = peers[0]!;
    await waitFor(() => {
      expect(peer.transceivers.map((t) => t.direction)).toEqual(['sendonly', 'sendonly']);
    });
    const video = peer.transceivers[1]!.sender;
    await waitFor(() => {
      expect(video.parameters.encodings[0]?.maxBitrate).toBe(1_500_000);
    });
    const offer = socket.sent.find((m) => m.type === 'offer');
    expect(offer).toMatchObject({ data: { sdp: 'client-offer-1' } });
    expect(offer?.data).not.toHaveProperty('to');

    openPanel('People');
    const budiRow = () =>
      within(screen.getByRole('list', { name: 'Participants' })).getAllByRole('listitem')[1]!;
    expect(budiRow()).toHaveTextContent('Connecting…');
    await act(() => {
      peer.setConnection('connected');
    });
    expect(
      within(screen.getByRole('list', { name: 'Participants' })).getAllByRole('listitem')[0],
    ).toHaveTextContent('Connected');
    const bobStream = fakeStream([new FakeTrack('audio'), new FakeTrack('video')], 'u-budi');
    await act(() => {
      for (const track of bobStream.getTracks()) {
        receiveTrack(peer, track, bobStream);
      }
    });
    const tile = document.querySelector('[data-testid="video-tile"][data-user-id="u-budi"]');
    expect(tile?.querySelector('video')).toHaveAccessibleName('Budi Santoso: video');
    expect(document.querySelector('audio[data-user-id="u-budi"]')).not.toBeNull();
    expect(budiRow()).toHaveTextContent('Connected');
    // Budi speaks: the browser's audio level for his track lights his tile.
    const [budiAudio] = bobStream.getAudioTracks();
    peer.levels.set(budiAudio!.id, 0.4);
    await waitFor(
      () => {
        expect(
          document.querySelector('[data-testid="video-tile"][data-user-id="u-budi"]'),
        ).toHaveClass('ring-4');
      },
      { timeout: 2000 },
    );
    expect(callStore.getState().remotes['u-budi']).toMatchObject({
      hasAudio: true,
      hasVideo: true,
    });
  });

  it('joins with the microphone and camera off when the pre-join left them off', async () => {
    const socket = await joinAs('participant', async () => {
      fireEvent.click(await screen.findByRole('button', { name: 'Turn off microphone' }));
      fireEvent.click(await screen.findByRole('button', { name: 'Turn off camera' }));
    });
    await ackLast(socket, 'join_room');
    await waitFor(() => {
      expect(socket.lastSent()).toMatchObject({ type: 'mute', data: { muted: true } });
    });
    await ackLast(socket, 'mute');
    await waitFor(() => {
      expect(socket.lastSent()).toMatchObject({ type: 'video', data: { enabled: false } });
    });
    await ackLast(socket, 'video');
    // Only the (silent) microphone is published; the camera stays off.
    await waitFor(() => {
      expect(peers[0]?.transceivers).toHaveLength(1);
    });
    expect(mediaStore.getState().audioTrack?.enabled).toBe(false);
    expect(mediaStore.getState().videoTrack).toBeNull();
  });

  it('keeps the microphone silent while muted, also when a host mutes it', async () => {
    const socket = await joinAs('participant');
    await ackLast(socket, 'join_room');
    const mic = mediaStore.getState().audioTrack!;
    expect(mic.enabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(mic.enabled).toBe(false); // before the server confirms
    await act(() => {
      socket.receive({
        type: 'participant_updated',
        data: { participant: aLiveParticipant({ role: 'participant', muted: false }) },
      });
    });
    expect(mic.enabled).toBe(true);
    await act(() => {
      socket.receive({
        type: 'participant_updated',
        data: {
          participant: aLiveParticipant({ role: 'participant', muted: true }),
          by: 'u-budi',
        },
      });
    });
    expect(mic.enabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
    expect(await screen.findByText('Budi Santoso muted your microphone')).toBeInTheDocument();
  });

  it('shares the screen: announces the track, offers it, and the stage shows it large', async () => {
    const socket = await joinAs('participant');
    await ackLast(socket, 'join_room');
    const screenTrack = new FakeTrack('video');
    useDisplayMedia(() => Promise.resolve(fakeStream([screenTrack])));
    fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
    await waitFor(() => {
      expect(socket.lastSent()).toMatchObject({
        type: 'screen_share',
        data: { active: true, track_id: screenTrack.id },
      });
    });
    await ackLast(socket, 'screen_share');
    await act(() => {
      socket.receive({
        type: 'participant_updated',
        data: { participant: aLiveParticipant({ role: 'participant', screen: true }) },
      });
    });
    expect(screen.getByTestId('video-stage')).toHaveAttribute('data-layout', 'screen');
    expect(within(screen.getByTestId('main-view')).getByTestId('video-tile')).toHaveAttribute(
      'data-source',
      'screen',
    );
    expect(peers[0]!.transceivers.at(-1)?.sender.track).toBe(screenTrack);

    fireEvent.click(screen.getByRole('button', { name: 'Stop sharing' }));
    await waitFor(() => {
      expect(socket.lastSent()).toMatchObject({ type: 'screen_share', data: { active: false } });
    });
    expect(screenTrack.readyState).toBe('ended');
    expect(peers[0]!.transceivers.at(-1)?.direction).toBe('inactive');
  });

  it('says nothing when the screen picker is closed, and explains other failures', async () => {
    await joinAs('participant');
    useDisplayMedia(() => Promise.reject(new DOMException('closed', 'NotAllowedError')));
    fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(screen.queryByText('Could not share the screen')).toBeNull();
    useDisplayMedia(() => Promise.resolve(fakeStream([])));
    fireEvent.click(screen.getByRole('button', { name: 'Share screen' }));
    expect(await screen.findByText('Could not share the screen')).toBeInTheDocument();
  });

  it('switches layouts, remembers the choice, and answers keyboard shortcuts', async () => {
    const socket = await joinAs('participant');
    fireEvent.click(screen.getByRole('button', { name: 'Speaker' }));
    expect(screen.getByTestId('video-stage')).toHaveAttribute('data-layout', 'speaker');
    expect(JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}')).toMatchObject({
      layout: 'speaker',
    });
    fireEvent.keyDown(document.body, { key: 'l' });
    expect(screen.getByTestId('video-stage')).toHaveAttribute('data-layout', 'grid');
    fireEvent.keyDown(document.body, { key: 'm' });
    expect(socket.lastSent()).toMatchObject({ type: 'mute', data: { muted: true } });
    fireEvent.keyDown(document.body, { key: 'm', ctrlKey: true });
    expect(socket.sent.filter((m) => m.type === 'mute')).toHaveLength(1);
    fireEvent.keyDown(document.body, { key: '?' });
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(help).getByText('Mute or unmute the microphone')).toBeInTheDocument();
    fireEvent.keyDown(help, { key: 'v' });
    expect(socket.sent.filter((m) => m.type === 'video')).toHaveLength(0);
  });

  it('counts unread chat while the chat is closed and toasts joins and leaves', async () => {
    const socket = await joinAs('participant');
    openPanel('People');
    await act(() => {
      socket.receive({
        type: 'chat',
        data: {
          message_id: 'm2',
          created_at: '2026-11-24T15:00:00Z',
          author: { id: 'u-budi', name: 'Budi Santoso' },
          text: 'Sudah mulai?',
        },
      });
    });
    expect(screen.getByTestId('unread-badge')).toHaveTextContent('1 unread');
    openPanel('Chat');
    expect(screen.queryByTestId('unread-badge')).toBeNull();

    const cem = aLiveParticipant({ user_id: 'u-cem', name: 'Cem Yilmaz', role: 'participant' });
    await act(() => {
      socket.receive({ type: 'participant_joined', data: { participant: cem } });
    });
    expect(await screen.findByText('Cem Yilmaz joined')).toBeInTheDocument();
    await act(() => {
      socket.receive({ type: 'participant_left', data: { user_id: 'u-cem', reason: 'left' } });
    });
    expect(await screen.findByText('Cem Yilmaz left')).toBeInTheDocument();
    await act(() => {
      // The socket's leave and the REST leave may both announce it: one toast.
      socket.receive({ type: 'participant_left', data: { user_id: 'u-cem', reason: 'left' } });
    });
    expect(screen.getAllByText('Cem Yilmaz left')).toHaveLength(1);
  });

  it('starts a fresh media session after the socket reconnects', async () => {
    const socket = await joinAs('participant');
    await ackLast(socket, 'join_room');
    const first = peers[0]!;
    await waitFor(() => {
      expect(first.transceivers).toHaveLength(2);
    });
    await act(() => {
      socket.drop(1006);
    });
    expect(first.closed).toBe(true);
    expect(callStore.getState().connection).toBe('idle');
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1100));
    });
    const again = signaling.latest();
    expect(again).not.toBe(socket);
    await act(() => {
      again.open();
      again.receive(
        aRoomState([aLiveParticipant({ role: 'participant' }), budi], { role: 'participant' }),
      );
    });
    await ackLast(again, 'join_room');
    await waitFor(() => {
      expect(peers[1]?.transceivers).toHaveLength(2);
    });
  });
});
