import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RoomRole } from '@/api';
import {
  featuresStore,
  resetFeaturesStore,
  resetRecordingsStore,
  resetRoomDetailStore,
  resetUiStore,
} from '@/store';
import { fakeApi, json } from '@/test/fake-api';
import { aRecording, recordingPage } from '@/test/recordings';
import { openAt } from '@/test/render-app';
import { DEFAULT_ROOM_SETTINGS, aRoom, page } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';

function roomApi(role: RoomRole | null) {
  return fakeApi({
    'GET /rooms/room-1': json(200, aRoom({ my_role: role })),
    'GET /rooms/room-1/participants': json(200, []),
    'GET /rooms/room-1/history': json(200, page([])),
    'GET /rooms/room-1/settings': json(200, DEFAULT_ROOM_SETTINGS),
    'GET /rooms/room-1/bans': json(200, []),
    'GET /rooms/room-1/recordings': json(
      200,
      recordingPage([aRecording({ status: 'composing', progress: 30 })]),
    ),
    'PUT /rooms/room-1/settings': json(200, {
      ...DEFAULT_ROOM_SETTINGS,
      recording_permission: 'hosts_and_moderators',
    }),
  });
}

beforeEach(() => {
  resetUiStore();
  resetRoomDetailStore();
  resetRecordingsStore();
  resetFeaturesStore();
  resetSession();
  signInAs();
});

describe('RoomDetailPage recordings', () => {
  it("lists the room's recordings to its members where the server records", async () => {
    featuresStore.setState({ recording: true });
    const server = roomApi('participant');
    openAt('/rooms/room-1');
    const list = await screen.findByRole('list', { name: 'Recordings of Weekly sync' });
    expect(within(list).getByText('Composing 30%')).toBeInTheDocument();
    // The room's own page does not link each recording back to itself.
    expect(within(list).queryByRole('link')).toBeNull();
    expect(server.called('GET /rooms/room-1/recordings')).toHaveLength(1);
  });

  it('shows no recordings section where nothing records, nor to non-members', async () => {
    const server = roomApi('participant');
    openAt('/rooms/room-1');
    await screen.findByRole('heading', { name: 'Weekly sync', level: 1 });
    expect(screen.queryByRole('heading', { name: 'Recordings' })).toBeNull();

    resetRoomDetailStore();
    featuresStore.setState({ recording: true });
    roomApi(null);
    openAt('/rooms/room-1');
    await screen.findAllByRole('heading', { name: 'Weekly sync', level: 1 });
    expect(screen.queryByRole('heading', { name: 'Recordings' })).toBeNull();
    expect(server.called('GET /rooms/room-1/recordings')).toHaveLength(0);
  });

  it('lets the host choose who may record, only where the server records', async () => {
    const server = roomApi('host');
    openAt('/rooms/room-1');
    await screen.findByRole('switch', { name: 'Allow chat' });
    expect(screen.queryByRole('combobox', { name: 'Who may record' })).toBeNull();

    featuresStore.setState({ recording: true });
    const select = await screen.findByRole<HTMLSelectElement>('combobox', {
      name: 'Who may record',
    });
    expect(select).toHaveValue('host');
    select.value = 'hosts_and_moderators';
    // With preact/compat loaded, fireEvent.change sends an input event; selects need change.
    fireEvent(select, new Event('change', { bubbles: true }));
    await waitFor(() => {
      expect(server.called('PUT /rooms/room-1/settings')[0]?.body).toEqual({
        recording_permission: 'hosts_and_moderators',
      });
    });
  });
});
