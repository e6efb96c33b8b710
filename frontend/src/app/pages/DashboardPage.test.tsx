import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetRoomDetailStore, resetRoomsStore, resetUiStore, userStore } from '@/store';
import { aUser, apiError, fakeApi, json } from '@/test/fake-api';
import { currentLocation, openAt } from '@/test/render-app';
import { aHistoryEntry, aRoom, daysFromNow, page } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';

const HOSTED = aRoom({ id: 'r-hosted', name: 'Weekly sync', participant_count: 3 });
const JOINED = aRoom({
  id: 'r-joined',
  code: 'xyz-abcd-efg',
  name: 'Team lunch',
  my_role: 'participant',
  has_password: true,
});
const SCHEDULED = aRoom({
  id: 'r-scheduled',
  name: 'Design review',
  scheduled_at: daysFromNow(2),
  duration_minutes: 45,
});

function dashboardApi(overrides: Record<string, Response> = {}) {
  return fakeApi({
    'GET /rooms': (request) =>
      request.query.get('upcoming') === 'true'
        ? json(200, page([SCHEDULED]))
        : json(200, page([HOSTED, JOINED])),
    'GET /rooms/history': json(
      200,
      page([
        aHistoryEntry(),
        aHistoryEntry({
          duration_seconds: 3900,
          joined_at: '2026-11-19T09:00:00Z',
          recording_url: `${window.location.origin}/recordings/rec-1`,
        }),
        aHistoryEntry({ duration_seconds: null, left_at: null, joined_at: '2026-11-18T09:00:00Z' }),
      ]),
    ),
    ...overrides,
  });
}

function stubClipboard(writeText: () => Promise<void>) {
  vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
}

async function roomRow(name: string) {
  const list = await screen.findByRole('list', { name: 'Your rooms' });
  return within(list)
    .getAllByRole('listitem')
    .find((item) => item.textContent.includes(name))!;
}

beforeEach(() => {
  resetUiStore();
  resetRoomsStore();
  resetRoomDetailStore();
  resetSession();
  signInAs();
});

describe('DashboardPage', () => {
  it('lists the rooms with code, status, people and the host badge', async () => {
    dashboardApi();
    openAt('/');
    const hosted = await roomRow('Weekly sync');
    expect(hosted).toHaveTextContent('abc-defg-hij');
    expect(hosted).toHaveTextContent('Host');
    expect(hosted).toHaveTextContent('Active');
    expect(hosted).toHaveTextContent('3 in the meeting');
    expect(within(hosted).getByRole('link', { name: 'Open Weekly sync' })).toHaveAttribute(
      'href',
      '/rooms/r-hosted',
    );
    const joined = await roomRow('Team lunch');
    expect(joined).not.toHaveTextContent('Host');
    expect(within(joined).getByText('Password protected')).toBeInTheDocument();
  });

  it('offers cancel and delete to the host only', async () => {
    dashboardApi();
    openAt('/');
    const hosted = await roomRow('Weekly sync');
    expect(within(hosted).getByRole('button', { name: 'Cancel Weekly sync' })).toBeVisible();
    expect(within(hosted).getByRole('button', { name: 'Delete Weekly sync' })).toBeVisible();
    const joined = await roomRow('Team lunch');
    expect(within(joined).queryByRole('button', { name: /Cancel|Delete/ })).toBeNull();
  });

  it('deletes a room after confirming', async () => {
    const server = dashboardApi({ 'DELETE /rooms/r-hosted': json(204) });
    openAt('/');
    fireEvent.click(
      within(await roomRow('Weekly sync')).getByRole('button', { name: 'Delete Weekly sync' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Delete this room?' });
    expect(dialog).toHaveTextContent('cannot be undone');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete room' }));
    expect(await screen.findByText('Room deleted')).toBeInTheDocument();
    expect(server.called('DELETE /rooms/r-hosted')).toHaveLength(1);
    expect(screen.getByRole('list', { name: 'Your rooms' })).not.toHaveTextContent('Weekly sync');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('cancels a room after confirming, and reports a refusal', async () => {
    dashboardApi({
      'PUT /rooms/r-hosted': apiError(409, 'invalid_transition', 'Already ended.'),
    });
    openAt('/');
    fireEvent.click(
      within(await roomRow('Weekly sync')).getByRole('button', { name: 'Cancel Weekly sync' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Cancel this meeting?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel meeting' }));
    expect(await screen.findByText('Could not cancel the meeting')).toBeInTheDocument();
    expect(screen.getByText('Already ended.')).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep meeting' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('copies the invite link with a "Copied" toast', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    stubClipboard(writeText);
    dashboardApi();
    openAt('/');
    fireEvent.click(
      within(await roomRow('Weekly sync')).getByRole('button', {
        name: 'Copy invite link for Weekly sync',
      }),
    );
    expect(await screen.findByText('Copied')).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith('http://rapat.test/r/abc-defg-hij');
  });

  it('shows the link selected when the browser refuses to copy', async () => {
    stubClipboard(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
    dashboardApi();
    openAt('/');
    fireEvent.click(
      within(await roomRow('Weekly sync')).getByRole('button', {
        name: 'Copy invite link for Weekly sync',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Copy the invite link' });
    const field = within(dialog).getByLabelText('Invite link');
    expect(field).toHaveValue('http://rapat.test/r/abc-defg-hij');
    await waitFor(() => {
      expect(field).toHaveFocus();
    });
  });

  it('shows upcoming meetings with a relative time and the calendar file', async () => {
    dashboardApi({
      'GET /rooms/abc-defg-hij/invite.ics': new Response('BEGIN:VCALENDAR', {
        headers: { 'Content-Type': 'text/calendar' },
      }),
    });
    const createObjectURL = vi.fn(() => 'blob:x');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    openAt('/');
    const upcoming = await screen.findByRole('list', { name: 'Upcoming meetings' });
    expect(upcoming).toHaveTextContent('Design review');
    expect(upcoming).toHaveTextContent('in 2 days');
    expect(upcoming).toHaveTextContent('45 min');
    fireEvent.click(
      within(upcoming).getByRole('button', {
        name: 'Download calendar invitation for Design review',
      }),
    );
    await waitFor(() => {
      expect(createObjectURL).toHaveBeenCalledTimes(1);
    });
  });

  it('says when the calendar file cannot be had', async () => {
    dashboardApi({
      'GET /rooms/abc-defg-hij/invite.ics': apiError(409, 'not_scheduled', 'No time set.'),
    });
    openAt('/');
    const upcoming = await screen.findByRole('list', { name: 'Upcoming meetings' });
    fireEvent.click(within(upcoming).getByRole('button', { name: /Download calendar/ }));
    expect(await screen.findByText('Could not download the invitation')).toBeInTheDocument();
  });

  it('lists recent meetings with their length', async () => {
    dashboardApi();
    openAt('/');
    const recent = await screen.findByRole('list', { name: 'Recent meetings' });
    const [first, second, third] = within(recent).getAllByRole('listitem');
    expect(first).toHaveTextContent('Weekly sync');
    expect(first).toHaveTextContent('31 min');
    expect(second).toHaveTextContent('1 h 05 min');
    expect(third).toHaveTextContent('In progress');
    // A meeting whose recording is ready links to it.
    expect(within(second!).getByRole('link', { name: 'Watch the recording' })).toHaveAttribute(
      'href',
      '/recordings/rec-1',
    );
    expect(within(first!).queryByRole('link', { name: 'Watch the recording' })).toBeNull();
  });

  it('keeps the empty states when there is nothing yet', async () => {
    fakeApi({
      'GET /rooms': json(200, page([])),
      'GET /rooms/history': json(200, page([])),
    });
    openAt('/');
    expect(await screen.findByText('No rooms yet')).toBeInTheDocument();
    expect(screen.getByText('Nothing scheduled')).toBeInTheDocument();
    expect(screen.getByText('No meetings yet')).toBeInTheDocument();
  });

  it('offers to try again when a list cannot load', async () => {
    const server = fakeApi({
      'GET /rooms': apiError(503, 'unavailable', 'The database is down.'),
      'GET /rooms/history': json(200, page([])),
    });
    openAt('/');
    expect(await screen.findByText('Could not load your rooms')).toBeInTheDocument();
    server.on('GET /rooms', json(200, page([HOSTED])));
    const retry = screen.getAllByRole('button', { name: 'Try again' });
    for (const button of retry) {
      fireEvent.click(button);
    }
    expect(await screen.findByRole('link', { name: 'Open Weekly sync' })).toBeInTheDocument();
  });

  it('shows more rooms on request', async () => {
    fakeApi({
      'GET /rooms': (request) =>
        request.query.get('offset') === '2'
          ? json(200, page([aRoom({ id: 'r-3', name: 'Third room' })], 3))
          : request.query.get('upcoming') === 'true'
            ? json(200, page([]))
            : json(200, page([HOSTED, JOINED], 3)),
      'GET /rooms/history': json(200, page([])),
    });
    openAt('/');
    fireEvent.click(await screen.findByRole('button', { name: 'Show more (1)' }));
    expect(await screen.findByText('Third room')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Show more/ })).toBeNull();
  });

  it('starts a new meeting and goes to its link', async () => {
    const server = dashboardApi({
      'POST /rooms': json(201, aRoom({ id: 'r-new', code: 'new-roomz-now' })),
      'GET /rooms/new-roomz-now': json(200, aRoom({ code: 'new-roomz-now' })),
    });
    openAt('/');
    fireEvent.click(await screen.findByRole('button', { name: 'New meeting' }));
    await waitFor(() => {
      expect(currentLocation()).toBe('/r/new-roomz-now');
    });
    expect(server.called('POST /rooms')[0]?.body).toEqual({ name: "Ayu's meeting" });
  });

  it('reports a meeting that could not start', async () => {
    dashboardApi({ 'POST /rooms': apiError(503, 'unavailable', 'Try later.') });
    openAt('/');
    fireEvent.click(await screen.findByRole('button', { name: 'New meeting' }));
    expect(await screen.findByText('Could not start a meeting')).toBeInTheDocument();
    expect(currentLocation()).toBe('/');
  });

  it('joins by a code typed without dashes', async () => {
    dashboardApi({ 'GET /rooms/abc-defg-hij': json(200, aRoom()) });
    openAt('/');
    fireEvent.input(await screen.findByLabelText('Meeting code or link'), {
      target: { value: 'ABCDEFGHIJ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Join' }));
    await waitFor(() => {
      expect(currentLocation()).toBe('/r/abc-defg-hij');
    });
  });

  it('links to creating and scheduling a room', async () => {
    dashboardApi();
    openAt('/');
    expect(await screen.findByRole('link', { name: 'Create room' })).toHaveAttribute(
      'href',
      '/rooms/new',
    );
    expect(screen.getByRole('link', { name: 'Schedule' })).toHaveAttribute(
      'href',
      '/rooms/new?schedule=1',
    );
  });
});

describe('DashboardPage: an email not confirmed yet', () => {
  const nudge = () => screen.queryByRole('region', { name: 'Confirm your email address' });

  it('is not mentioned once the email is verified', async () => {
    dashboardApi();
    openAt('/');
    await screen.findByRole('heading', { name: 'Dashboard', level: 1 });
    expect(nudge()).toBeNull();
  });

  it('asks to confirm it, sends a new link, and goes away once verified', async () => {
    signInAs(aUser({ email: 'ayu@example.id', email_verified: false }));
    const server = dashboardApi({
      'POST /auth/resend-verification': json(202, { message: 'Sent.' }),
    });
    openAt('/');
    const region = await screen.findByRole('region', { name: 'Confirm your email address' });
    expect(region).toHaveTextContent('ayu@example.id');
    fireEvent.click(within(region).getByRole('button', { name: 'Resend verification email' }));
    expect(await within(region).findByRole('status')).toHaveTextContent(
      'We sent a new link to ayu@example.id.',
    );
    expect(server.called('POST /auth/resend-verification')).toHaveLength(1);

    const user = userStore.getState().user!;
    userStore.setState({ user: { ...user, email_verified: true } });
    await waitFor(() => {
      expect(nudge()).toBeNull();
    });
  });

  it('says why a new link could not be sent', async () => {
    signInAs(aUser({ email_verified: false }));
    dashboardApi({
      'POST /auth/resend-verification': apiError(429, 'rate_limited', 'Too many requests.'),
    });
    openAt('/');
    const region = await screen.findByRole('region', { name: 'Confirm your email address' });
    fireEvent.click(within(region).getByRole('button', { name: 'Resend verification email' }));
    expect(await within(region).findByRole('alert')).toHaveTextContent('Too many requests.');
  });

  it('links the dev mailbox on a development server', async () => {
    signInAs(aUser({ email_verified: false }));
    dashboardApi({ 'GET /dev/mailbox/status': json(200, { shows: 'own' }) });
    openAt('/');
    const region = await screen.findByRole('region', { name: 'Confirm your email address' });
    expect(await within(region).findByRole('link', { name: 'dev mailbox' })).toHaveAttribute(
      'href',
      '/dev/mailbox',
    );
  });
});
