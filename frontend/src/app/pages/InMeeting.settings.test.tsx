import { act, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RoomRole, RoomSettings } from '@/api';
import { mediaStore, setResolution } from '@/store/media';
import type { FakeTrack } from '@/test/media';
import type { FakePeer } from '@/test/fake-peer';
import type { fakeSignaling } from '@/test/meeting';
import {
  ackLast,
  joinMeetingAs,
  openPanel,
  setUpMeetingPage,
  tearDownMeetingPage,
} from '@/test/in-meeting';
import { DEFAULT_ROOM_SETTINGS } from '@/test/rooms';

// The room's settings as the meeting applies them: join muted or with the camera off,
// chat and screen sharing for participants, and a host changing them mid-meeting.

let signaling: ReturnType<typeof fakeSignaling>;
let peers: FakePeer[];

beforeAll(async () => {
  await import('./MeetingPage');
});

beforeEach(() => {
  ({ signaling, peers } = setUpMeetingPage());
});

afterEach(tearDownMeetingPage);

const joinAs = (role: RoomRole, settings: Partial<RoomSettings>, muted = false) =>
  joinMeetingAs(signaling, role, undefined, {
    settings,
    me: { muted, video: !settings.camera_off_on_join || role === 'host' },
  });

describe('room settings in the meeting', () => {
  it('joins muted with the camera off when the room says so, whatever the pre-join chose', async () => {
    const socket = await joinAs(
      'participant',
      { mute_on_join: true, camera_off_on_join: true },
      true,
    );
    await ackLast(socket, 'join_room');
    await waitFor(() => {
      expect(peers[0]?.transceivers).toHaveLength(2);
    });
    // The server already has me muted and camera off: nothing to tell it, nothing goes out.
    expect(socket.sent.some((m) => m.type === 'mute' || m.type === 'video')).toBe(false);
    expect(mediaStore.getState().audioTrack?.enabled).toBe(false);
    expect(mediaStore.getState().videoTrack?.enabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Unmute' })).toBeEnabled();
    expect(
      await screen.findByText('This room mutes people as they join: unmute to speak'),
    ).toBeInTheDocument();
  });

  it('leaves the host as the pre-join chose', async () => {
    const socket = await joinAs('host', { mute_on_join: true, camera_off_on_join: true });
    await ackLast(socket, 'join_room');
    await waitFor(() => {
      expect(peers[0]?.transceivers).toHaveLength(2);
    });
    expect(mediaStore.getState().audioTrack?.enabled).toBe(true);
    expect(mediaStore.getState().videoTrack?.enabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Mute' })).toBeInTheDocument();
  });

  it('gives participants a read-only chat while chat is off, and follows the host turning it on', async () => {
    const socket = await joinAs('participant', { allow_chat: false });
    openPanel('Chat');
    expect(screen.getByTestId('chat-read-only')).toHaveTextContent('The host has turned chat off');
    expect(screen.queryByLabelText('Message')).toBeNull();

    await act(() => {
      socket.receive({
        type: 'room_settings',
        data: { settings: { ...DEFAULT_ROOM_SETTINGS, allow_chat: true }, by: 'u-budi' },
      });
    });
    expect(screen.getByLabelText('Message')).toBeEnabled();
    expect(await screen.findByText('The host turned chat on for everyone')).toBeInTheDocument();
  });

  it('lets hosts write while chat is off for participants', async () => {
    await joinAs('moderator', { allow_chat: false });
    openPanel('Chat');
    expect(screen.queryByTestId('chat-read-only')).toBeNull();
    expect(screen.getByLabelText('Message')).toBeEnabled();
  });

  it('shows observers why they cannot write', async () => {
    await joinAs('observer', {});
    openPanel('Chat');
    expect(screen.getByTestId('chat-read-only')).toHaveTextContent('Observers can read the chat');
  });

  it('turns screen sharing off for participants only, live', async () => {
    const socket = await joinAs('participant', {});
    const toolbar = screen.getByRole('toolbar', { name: 'Meeting controls' });
    expect(within(toolbar).getByRole('button', { name: 'Share screen' })).toBeEnabled();
    await act(() => {
      socket.receive({
        type: 'room_settings',
        data: { settings: { ...DEFAULT_ROOM_SETTINGS, allow_screen_share: false } },
      });
    });
    expect(
      within(toolbar).getByRole('button', { name: 'Screen sharing is off in this room' }),
    ).toBeDisabled();
    expect(
      await screen.findByText('Only hosts and moderators can share their screen now'),
    ).toBeInTheDocument();
  });

  it('tells chat and screen sharing going off together in one toast', async () => {
    const socket = await joinAs('participant', {});
    await act(() => {
      socket.receive({
        type: 'room_settings',
        data: {
          settings: { ...DEFAULT_ROOM_SETTINGS, allow_chat: false, allow_screen_share: false },
        },
      });
    });
    expect(
      await screen.findByText(
        'The host turned chat off: only hosts and moderators can write. Only hosts and moderators can share their screen now',
      ),
    ).toBeInTheDocument();
  });

  it("sends the camera within the room's quality limit, and follows the host's changes", async () => {
    await setResolution('1080p'); // the person's own choice, above the room's limit
    const socket = await joinAs('participant', { max_video_resolution: '360p' });
    await ackLast(socket, 'join_room');
    await waitFor(() => {
      expect(peers[0]?.transceivers).toHaveLength(2);
    });
    const sender = peers[0]!.transceivers[1]!.sender;
    const camera = mediaStore.getState().videoTrack as unknown as FakeTrack;
    await waitFor(() => {
      expect(sender.parameters.encodings[0]).toEqual({
        maxBitrate: 600_000,
        scaleResolutionDownBy: 1,
      });
    });
    expect(camera.size).toEqual({ width: 640, height: 360 });

    await act(() => {
      socket.receive({
        type: 'room_settings',
        data: { settings: { ...DEFAULT_ROOM_SETTINGS, max_video_resolution: '720p' } },
      });
    });
    await waitFor(() => {
      expect(sender.parameters.encodings[0]?.maxBitrate).toBe(1_500_000);
    });
    expect(camera.size).toEqual({ width: 1280, height: 720 });
    expect(mediaStore.getState().prefs.resolution).toBe('1080p'); // the choice is kept
    expect(
      await screen.findByText('Cameras in this meeting now send up to 720p'),
    ).toBeInTheDocument();
  });

  it('scales down a camera that gives more than the limit asks for', async () => {
    const socket = await joinAs('participant', { max_video_resolution: '360p' });
    const camera = mediaStore.getState().videoTrack as unknown as FakeTrack;
    camera.fixedSize = true;
    camera.size = { width: 1280, height: 720 }; // it ignored the ideal size
    await act(() => {
      mediaStore.setState({ videoSize: camera.getSettings() });
    });
    await ackLast(socket, 'join_room');
    await waitFor(() => {
      expect(peers[0]?.transceivers[1]?.sender.parameters.encodings[0]).toEqual({
        maxBitrate: 600_000,
        scaleResolutionDownBy: 2,
      });
    });
  });
});
