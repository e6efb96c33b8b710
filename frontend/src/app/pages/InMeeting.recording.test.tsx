import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RoomRole, RoomSettings } from '@/api';
import { uiStore } from '@/store';
import type { FakeSocket } from '@/test/fake-socket';
import type { fakeSignaling } from '@/test/meeting';
import { ackLast, joinMeetingAs, setUpMeetingPage, tearDownMeetingPage } from '@/test/in-meeting';

let signaling: ReturnType<typeof fakeSignaling>;

beforeAll(async () => {
  await import('./MeetingPage');
});

beforeEach(() => {
  ({ signaling } = setUpMeetingPage());
});

afterEach(tearDownMeetingPage);

const joinAs = (role: RoomRole, settings: Partial<RoomSettings> = {}, recordingAvailable = true) =>
  joinMeetingAs(signaling, role, undefined, { settings, recordingAvailable });

const recordButton = () => screen.queryByRole('button', { name: 'Record' });

function toastTitles() {
  return uiStore.getState().toasts.map((toast) => toast.title);
}

async function recordingState(socket: FakeSocket, data: Record<string, unknown>) {
  await act(() => {
    socket.receive({ type: 'recording_state', data: data as { active: boolean } });
  });
}

describe('recording in the meeting', () => {
  it('lets the host start after confirming, shows it, and stop without asking', async () => {
    const socket = await joinAs('host');
    fireEvent.click(recordButton()!);
    const dialog = screen.getByRole('dialog', { name: 'Record this meeting?' });
    expect(dialog).toHaveTextContent('Everyone will be told the meeting is recorded.');
    expect(within(dialog).getByRole('button', { name: 'Not now' })).toHaveFocus();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start recording' }));
    expect(socket.lastSent()).toMatchObject({ type: 'recording', data: { active: true } });
    await ackLast(socket, 'recording');
    await recordingState(socket, { active: true, by: 'u-ayu' });
    expect(screen.getByTestId('recording-indicator')).toHaveTextContent('Recording');
    expect(toastTitles()).toContain('This meeting is being recorded');

    fireEvent.click(screen.getByRole('button', { name: 'Stop recording' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(socket.lastSent()).toMatchObject({ type: 'recording', data: { active: false } });
  });

  it('sends nothing when the host thinks better of it', async () => {
    const socket = await joinAs('host');
    const sent = socket.sent.length;
    fireEvent.click(recordButton()!);
    fireEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(socket.sent).toHaveLength(sent);
  });

  it.each<[RoomRole, Partial<RoomSettings>, boolean]>([
    ['host', {}, true],
    ['moderator', {}, false],
    ['moderator', { recording_permission: 'hosts_and_moderators' }, true],
    ['participant', { recording_permission: 'hosts_and_moderators' }, false],
    ['observer', { recording_permission: 'hosts_and_moderators' }, false],
  ])('offers a %s with %j the Record button: %s', async (role, settings, offered) => {
    await joinAs(role, settings);
    expect(recordButton() !== null).toBe(offered);
  });

  it('offers no Record button where the server does not record', async () => {
    await joinAs('host', {}, false);
    expect(recordButton()).toBeNull();
  });

  it('says in plain words why the server refused', async () => {
    const socket = await joinAs('host');
    fireEvent.click(recordButton()!);
    fireEvent.click(screen.getByRole('button', { name: 'Start recording' }));
    await act(async () => {
      socket.receive({
        type: 'error',
        id: socket.lastSent().id!,
        data: { code: 'media_not_started', message: 'Media has not started.' },
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    await waitFor(() => {
      expect(uiStore.getState().toasts).toContainEqual(
        expect.objectContaining({
          title: 'Could not start recording',
          description: 'The meeting is still connecting. Try again in a moment.',
        }),
      );
    });
  });

  it('tells everyone when the server had to stop the recording', async () => {
    const socket = await joinAs('participant');
    await recordingState(socket, { active: true, by: 'u-budi' });
    expect(toastTitles()).toContain('Budi Santoso started recording this meeting');
    await recordingState(socket, {
      active: false,
      by: null,
      reason: 'failed',
      error: 'recording_storage_full',
    });
    expect(toastTitles()).toContain(
      'Recording stopped: the server ran out of storage space. The meeting goes on.',
    );
    expect(screen.queryByTestId('recording-indicator')).toBeNull();
  });
});
