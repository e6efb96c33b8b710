import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetRoomDetailStore, resetRoomsStore, resetUiStore, roomsStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { currentLocation, openAt } from '@/test/render-app';
import { DEFAULT_ROOM_SETTINGS, aRoom, daysFromNow } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';

beforeEach(() => {
  resetUiStore();
  resetRoomsStore();
  resetRoomDetailStore();
  resetSession();
  signInAs();
});

function fill(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

function roomRoutes(created = aRoom({ id: 'r-new' })) {
  return {
    'POST /rooms': json(201, created),
    'GET /rooms/r-new': json(200, created),
    'GET /rooms/r-new/participants': json(200, []),
    'GET /rooms/r-new/history': json(200, { items: [], total: 0, limit: 20, offset: 0 }),
    'GET /rooms/r-new/settings': json(200, DEFAULT_ROOM_SETTINGS),
    'GET /rooms/r-new/bans': json(200, []),
  };
}

describe('NewRoomPage', () => {
  it('checks the form before sending and focuses the first problem', async () => {
    const server = fakeApi(roomRoutes());
    openAt('/rooms/new');
    await screen.findByRole('heading', { name: 'New room', level: 1 });
    fill('Password (optional)', 'abc');
    fill('Most people at once', '500');
    fireEvent.click(screen.getByRole('button', { name: 'Create room' }));
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Give the room a name.');
    expect(screen.getByLabelText('Password (optional)')).toHaveAccessibleDescription(
      /Use at least 4 characters/,
    );
    expect(screen.getByLabelText('Most people at once')).toHaveAccessibleDescription(
      /from 1 to 100/,
    );
    await waitFor(() => {
      expect(screen.getByLabelText('Name')).toHaveFocus();
    });
    expect(server.called('POST /rooms')).toHaveLength(0);
    fill('Name', 'Weekly sync');
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
  });

  it('creates a room with its settings and opens its page', async () => {
    const server = fakeApi(roomRoutes());
    openAt('/rooms/new');
    fill(await screen.findByLabelText('Name').then(() => 'Name'), 'Weekly sync');
    fill('Description (optional)', 'Plans for the week');
    fireEvent.click(screen.getByRole('switch', { name: 'Allow chat' }));
    fireEvent.click(screen.getByRole('switch', { name: 'Keep the room for future meetings' }));
    // With preact/compat loaded, fireEvent.change sends an input event; selects need change.
    const connection = screen.getByRole<HTMLSelectElement>('combobox', {
      name: 'Media connection',
    });
    connection.value = 'sfu';
    fireEvent(connection, new Event('change', { bubbles: true }));
    const cameras = screen.getByRole<HTMLSelectElement>('combobox', {
      name: 'Camera quality limit',
    });
    expect(cameras).toHaveValue('720p');
    cameras.value = '360p';
    fireEvent(cameras, new Event('change', { bubbles: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Create room' }));
    await waitFor(() => {
      expect(currentLocation()).toBe('/rooms/r-new');
    });
    expect(server.called('POST /rooms')[0]?.body).toEqual({
      name: 'Weekly sync',
      description: 'Plans for the week',
      max_users: 10,
      persistent: true,
      settings: {
        ...DEFAULT_ROOM_SETTINGS,
        allow_chat: false,
        max_video_resolution: '360p',
        media_mode: 'sfu',
      },
    });
    expect(await screen.findByText('Room created')).toBeInTheDocument();
    expect(roomsStore.getState().mine.items[0]?.id).toBe('r-new');
  });

  it('schedules a meeting in local time', async () => {
    const scheduled = aRoom({ id: 'r-new', scheduled_at: daysFromNow(3) });
    const server = fakeApi(roomRoutes(scheduled));
    openAt('/rooms/new?schedule=1');
    await screen.findByRole('heading', { name: 'Schedule a meeting', level: 1 });
    fill('Name', 'Design review');
    fill('Date', '2099-03-04');
    fill('Start time', '09:30');
    fill('Length in minutes', '45');
    fill('Password (optional)', 'river stone');
    fireEvent.click(screen.getByRole('button', { name: 'Schedule meeting' }));
    await waitFor(() => {
      expect(server.called('POST /rooms')).toHaveLength(1);
    });
    const body = server.called('POST /rooms')[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ password: 'river stone', duration_minutes: 45 });
    expect(new Date(body.scheduled_at as string).getTime()).toBe(
      new Date(2099, 2, 4, 9, 30).getTime(),
    );
    expect(await screen.findByText('Meeting scheduled')).toBeInTheDocument();
  });

  it('turns scheduling on and off', async () => {
    fakeApi();
    openAt('/rooms/new');
    await screen.findByRole('heading', { name: 'New room', level: 1 });
    expect(screen.queryByLabelText('Date')).toBeNull();
    fireEvent.click(screen.getByRole('switch', { name: 'Schedule for later' }));
    expect(screen.getByLabelText('Date')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Schedule meeting' })).toBeInTheDocument();
    fill('Date', '');
    fireEvent.click(screen.getByRole('button', { name: 'Schedule meeting' }));
    expect(screen.getByLabelText('Date')).toHaveAccessibleDescription('Pick a date.');
  });

  it("shows the server's field problems on the fields", async () => {
    fakeApi({
      'POST /rooms': apiError(422, 'validation_failed', 'The request is not valid.', {
        details: [
          { field: 'body.name', message: 'Name taken by policy', type: 'value_error' },
          {
            field: 'body.settings.max_video_resolution',
            message: "Input should be '360p', '720p' or '1080p'",
            type: 'literal_error',
          },
        ],
      }),
    });
    openAt('/rooms/new');
    fill(await screen.findByLabelText('Name').then(() => 'Name'), 'Weekly sync');
    fireEvent.click(screen.getByRole('button', { name: 'Create room' }));
    await waitFor(() => {
      expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Name taken by policy');
    });
    expect(screen.getByRole('alert')).toHaveTextContent("Input should be '360p'");
    expect(currentLocation()).toBe('/rooms/new');
  });

  it('shows other refusals above the buttons', async () => {
    fakeApi({ 'POST /rooms': apiError(503, 'unavailable', 'The database is down.') });
    openAt('/rooms/new');
    fill(await screen.findByLabelText('Name').then(() => 'Name'), 'Weekly sync');
    fireEvent.click(screen.getByRole('button', { name: 'Create room' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The database is down.');
  });

  it('leads back to the dashboard', async () => {
    fakeApi();
    openAt('/rooms/new');
    expect(await screen.findByRole('link', { name: 'Cancel' })).toHaveAttribute('href', '/');
  });
});
