import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Room, RoomRole } from '@/api';
import { resetRoomDetailStore, resetRoomsStore, resetUiStore } from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { currentLocation, openAt } from '@/test/render-app';
import {
  DEFAULT_ROOM_SETTINGS,
  HANA,
  aHistoryEntry,
  aParticipant,
  aRoom,
  daysFromNow,
  page,
} from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';

const AYU = { id: 'u-ayu', first_name: 'Ayu', last_name: 'Lestari', avatar_url: null };

function roomAs(role: RoomRole | null, overrides: Partial<Room> = {}) {
  return aRoom({
    my_role: role,
    scheduled_at: daysFromNow(2),
    duration_minutes: 45,
    description: 'Plans for the quarter',
    has_password: true,
    ...overrides,
  });
}

function detailApi(room: Room, extra: Record<string, Response | (() => Response)> = {}) {
  return fakeApi({
    'GET /rooms/room-1': json(200, room),
    'GET /rooms/room-1/participants': json(200, [
      aParticipant({ left_at: '2026-11-20T09:30:00Z' }),
      aParticipant({ user: AYU, role: 'participant' }),
    ]),
    'GET /rooms/room-1/history': json(200, page([aHistoryEntry({ user: AYU })])),
    'GET /rooms/room-1/settings': json(200, DEFAULT_ROOM_SETTINGS),
    'GET /rooms/room-1/bans': json(200, [
      { user: AYU, banned_by: HANA.id, created_at: '2026-11-20T09:30:00Z' },
    ]),
    'GET /rooms': json(200, page([])),
    'GET /rooms/history': json(200, page([])),
    ...extra,
  });
}

function button(name: string) {
  return screen.queryByRole('button', { name, exact: true });
}

beforeEach(() => {
  resetUiStore();
  resetRoomsStore();
  resetRoomDetailStore();
  resetSession();
  signInAs();
});

describe('RoomDetailPage', () => {
  it('shows the room, its invite link, people and history to a member', async () => {
    detailApi(roomAs('participant'));
    openAt('/rooms/room-1');
    expect(await screen.findByRole('heading', { name: 'Weekly sync', level: 1 })).toBeVisible();
    expect(screen.getByText('Plans for the quarter')).toBeInTheDocument();
    expect(screen.getByText('Required to join')).toBeInTheDocument();
    expect(screen.getByText('You: Participant')).toBeInTheDocument();
    expect(screen.getByLabelText('Invite link')).toHaveValue('http://rapat.test/r/abc-defg-hij');
    const people = screen.getByRole('list', { name: 'Participants' });
    const [first, second] = within(people).getAllByRole('listitem');
    expect(first).toHaveTextContent('Ayu Lestari');
    expect(first).toHaveTextContent('In the meeting');
    expect(second).toHaveTextContent('Hana Wijaya');
    expect(second).toHaveTextContent('Not in the meeting');
    expect(screen.getByRole('list', { name: 'Meeting history' })).toHaveTextContent('31 min');
    expect(screen.getByRole('link', { name: /Join meeting/ })).toHaveAttribute(
      'href',
      '/r/abc-defg-hij',
    );
  });

  it.each<[RoomRole | null, string[], string[]]>([
    ['host', ['Edit', 'End for everyone', 'Cancel meeting', 'Delete room'], []],
    ['moderator', ['Edit', 'End for everyone', 'Cancel meeting'], ['Delete room']],
    ['participant', [], ['Edit', 'End for everyone', 'Cancel meeting', 'Delete room']],
    ['observer', [], ['Edit', 'End for everyone', 'Cancel meeting', 'Delete room']],
    [null, [], ['Edit', 'End for everyone', 'Cancel meeting', 'Delete room']],
  ])('offers a %s only what the permission table allows', async (role, shown, hidden) => {
    detailApi(roomAs(role));
    openAt('/rooms/room-1');
    await screen.findByRole('heading', { name: 'Weekly sync', level: 1 });
    for (const name of shown) {
      expect(button(name)).toBeVisible();
    }
    for (const name of hidden) {
      expect(button(name)).toBeNull();
    }
  });

  it('lets hosts and moderators let removed people back in', async () => {
    const server = detailApi(roomAs('moderator'), {
      'DELETE /rooms/room-1/bans/u-ayu': json(204),
    });
    openAt('/rooms/room-1');
    const removed = await screen.findByRole('list', { name: 'Removed people' });
    expect(removed).toHaveTextContent('Ayu Lestari');
    fireEvent.click(within(removed).getByRole('button', { name: 'Let Ayu Lestari back in' }));
    expect(await screen.findByText('Ayu Lestari can join again')).toBeInTheDocument();
    expect(screen.getByText('Nobody has been removed')).toBeInTheDocument();
    expect(server.called('DELETE /rooms/room-1/bans/u-ayu')).toHaveLength(1);
  });

  it('shows participants no removed people', async () => {
    const server = detailApi(roomAs('participant'));
    openAt('/rooms/room-1');
    await screen.findByRole('list', { name: 'Participants' });
    expect(screen.queryByRole('list', { name: 'Removed people' })).toBeNull();
    expect(server.called('GET /rooms/room-1/bans')).toHaveLength(0);
  });

  it('lets only the host change settings', async () => {
    detailApi(roomAs('moderator'));
    openAt('/rooms/room-1');
    const chat = await screen.findByRole('switch', { name: 'Allow chat' });
    expect(chat).toBeDisabled();
    expect(screen.getByText('Only the host can change these.')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Media connection' })).toBeDisabled();
  });

  it('saves a setting the host changes', async () => {
    const server = detailApi(roomAs('host'), {
      'PUT /rooms/room-1/settings': json(200, { ...DEFAULT_ROOM_SETTINGS, mute_on_join: true }),
    });
    openAt('/rooms/room-1');
    const mute = await screen.findByRole('switch', { name: 'Mute people when they join' });
    fireEvent.click(mute);
    expect(await screen.findByText('Setting saved')).toBeInTheDocument();
    expect(mute).toHaveAttribute('aria-checked', 'true');
    expect(server.called('PUT /rooms/room-1/settings')[0]?.body).toEqual({ mute_on_join: true });
    // Stored by the API, applied by nothing yet: not offered.
    expect(screen.queryByRole('switch', { name: 'Waiting room' })).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Highest video quality' })).toBeNull();
  });

  it('puts a refused setting back and says why', async () => {
    detailApi(roomAs('host'), {
      'PUT /rooms/room-1/settings': apiError(403, 'not_allowed', 'Only the host may.'),
    });
    openAt('/rooms/room-1');
    const chat = await screen.findByRole('switch', { name: 'Allow chat' });
    fireEvent.click(chat);
    expect(await screen.findByText('Could not save the setting')).toBeInTheDocument();
    expect(chat).toHaveAttribute('aria-checked', 'true');
  });

  it('shows a non-member the room without the members-only parts', async () => {
    const server = detailApi(roomAs(null));
    openAt('/rooms/room-1');
    expect(await screen.findByText('For members')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Participants' })).toBeNull();
    expect(server.called('GET /rooms/room-1/participants')).toHaveLength(0);
  });

  it('edits the name and time', async () => {
    const room = roomAs('moderator');
    const server = detailApi(room, {
      'PUT /rooms/room-1': json(200, { ...room, name: 'Quarterly plan' }),
    });
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit room' });
    const name = within(dialog).getByLabelText('Name');
    fireEvent.input(name, { target: { value: '' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    expect(name).toHaveAccessibleDescription('Give the room a name.');
    fireEvent.input(name, { target: { value: 'Quarterly plan' } });
    fireEvent.input(within(dialog).getByLabelText('Minutes'), { target: { value: '60' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    expect(
      await screen.findByRole('heading', { name: 'Quarterly plan', level: 1 }),
    ).toBeInTheDocument();
    expect(server.called('PUT /rooms/room-1')[0]?.body).toEqual({
      name: 'Quarterly plan',
      duration_minutes: 60,
    });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('closes the edit dialog without a request when nothing changed', async () => {
    const server = detailApi(roomAs('host'));
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    expect(server.called('PUT /rooms/room-1')).toHaveLength(0);
  });

  it('shows why an edit was refused', async () => {
    detailApi(roomAs('host'), {
      'PUT /rooms/room-1': apiError(409, 'room_closed', 'This room is ended.'),
    });
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit room' });
    fireEvent.click(within(dialog).getByRole('switch', { name: 'Scheduled' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('This room is ended.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('sets the destructive actions apart from joining and editing', async () => {
    detailApi(roomAs('host'));
    openAt('/rooms/room-1');
    const group = await screen.findByRole('group', { name: 'End, cancel or delete' });
    expect(
      within(group)
        .getAllByRole('button')
        .map((item) => item.textContent),
    ).toEqual(['End for everyone', 'Cancel meeting', 'Delete room']);
    expect(within(group).queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(within(group).queryByRole('link', { name: /Join meeting/ })).toBeNull();
  });

  it.each([
    ['End for everyone', 'End the meeting for everyone?', 'Keep meeting going'],
    ['Cancel meeting', 'Cancel this meeting?', 'Keep meeting'],
    ['Delete room', 'Delete this room?', 'Keep room'],
  ])('asks before "%s", with the safe choice focused', async (action, title, keep) => {
    const server = detailApi(roomAs('host'));
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: action }));
    const dialog = screen.getByRole('dialog', { name: title });
    const safe = within(dialog).getByRole('button', { name: keep });
    expect(safe).toHaveFocus();
    fireEvent.click(safe);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(server.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('ends the meeting after confirming', async () => {
    const room = roomAs('host', { persistent: true });
    detailApi(room, { 'POST /rooms/room-1/end': json(200, room) });
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: 'End for everyone' }));
    const dialog = screen.getByRole('dialog', { name: 'End the meeting for everyone?' });
    expect(dialog).toHaveTextContent('The room stays open for the next meeting.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'End for everyone' }));
    expect(await screen.findByText('Meeting ended')).toBeInTheDocument();
  });

  it('cancels the meeting after confirming', async () => {
    const room = roomAs('host');
    detailApi(room, { 'PUT /rooms/room-1': json(200, { ...room, status: 'cancelled' }) });
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel meeting' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel this meeting?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel meeting' }));
    expect(await screen.findByText('Cancelled')).toBeInTheDocument();
    expect(button('Cancel meeting')).toBeNull();
    expect(screen.queryByLabelText('Invite link')).toBeNull();
    expect(button('Delete room')).toBeVisible();
  });

  it('deletes the room and returns to the dashboard', async () => {
    detailApi(roomAs('host'), { 'DELETE /rooms/room-1': json(204) });
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: 'Delete room' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this room?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete room' }));
    await waitFor(() => {
      expect(currentLocation()).toBe('/');
    });
    expect(await screen.findByText('Room deleted')).toBeInTheDocument();
  });

  it('downloads the calendar invitation', async () => {
    const server = detailApi(roomAs('host'), {
      'GET /rooms/abc-defg-hij/invite.ics': new Response('BEGIN:VCALENDAR', {
        headers: { 'Content-Type': 'text/calendar' },
      }),
    });
    vi.stubGlobal(
      'URL',
      Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: vi.fn() }),
    );
    const click = vi
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: 'Calendar invitation' }));
    await waitFor(() => {
      expect(click).toHaveBeenCalledTimes(1);
    });
    expect(server.called('GET /rooms/abc-defg-hij/invite.ics')[0]?.headers.Authorization).toBe(
      'Bearer access-1',
    );
  });

  it('selects the invite link when copying is refused', async () => {
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({
      writeText: () => Promise.reject(new DOMException('denied')),
    } as unknown as Clipboard);
    detailApi(roomAs('host'));
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: 'Copy link' }));
    await waitFor(() => {
      expect(screen.getByLabelText('Invite link')).toHaveFocus();
    });
  });

  it('copies the invite link', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    detailApi(roomAs('host'));
    openAt('/rooms/room-1');
    fireEvent.click(await screen.findByRole('button', { name: 'Copy link' }));
    expect(await screen.findByText('Copied')).toBeInTheDocument();
  });

  it('says when there is no such room', async () => {
    fakeApi({ 'GET /rooms/gone': apiError(404, 'room_not_found', 'No such room.') });
    openAt('/rooms/gone');
    expect(await screen.findByRole('heading', { name: 'No such room' })).toBeInTheDocument();
  });

  it('offers to try again after a failure', async () => {
    const server = fakeApi({ 'GET /rooms/room-1': apiError(503, 'unavailable', 'Down.') });
    openAt('/rooms/room-1');
    expect(await screen.findByText('Could not load the room')).toBeInTheDocument();
    server.on('GET /rooms/room-1', json(200, roomAs(null)));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Weekly sync', level: 1 })).toBeVisible();
  });

  it('opens a room by its meeting code and shows the host', async () => {
    fakeApi({ 'GET /rooms/abc-defg-hij': json(200, roomAs(null, { host: HANA })) });
    openAt('/rooms/abc-defg-hij');
    expect(await screen.findByRole('heading', { name: 'Weekly sync', level: 1 })).toBeVisible();
    expect(screen.getAllByText('Hana Wijaya').length).toBeGreaterThan(0);
  });
});
