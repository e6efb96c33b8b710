import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  resetMeetingStore,
  resetRoomStore,
  resetRoomsStore,
  resetUiStore,
  lobbyStore,
  useSignalingFactory,
} from '@/store';
import { apiError, fakeApi, json } from '@/test/fake-api';
import { currentLocation, openAt } from '@/test/render-app';
import { fakeSignaling } from '@/test/meeting';
import { aParticipant, aRoom, page } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';

const LOCKED = aRoom({ has_password: true, my_role: null, name: 'Board meeting' });
const JOINED = {
  room: { ...LOCKED, my_role: 'participant', participant_count: 2 },
  participant: aParticipant({ role: 'participant' }),
};

// The app loads this page lazily: loaded once here, the first test does not spend its
// findBy wait on transforming the page's modules (over a second on a busy machine).
beforeAll(async () => {
  await import('./MeetingPage');
});

beforeEach(() => {
  resetUiStore();
  resetRoomStore();
  resetRoomsStore();
  resetSession();
  fakeSignaling();
});

afterEach(() => {
  resetMeetingStore();
  useSignalingFactory(null);
});

const inMeeting = () => screen.findByRole('toolbar', { name: 'Meeting controls' });

function typePassword(value: string) {
  fireEvent.input(screen.getByLabelText('Meeting password'), { target: { value } });
  fireEvent.click(screen.getByRole('button', { name: 'Join now' }));
}

describe('MeetingPage', () => {
  it('sends a visitor to sign in and back to the link', async () => {
    fakeApi();
    openAt('/r/abc-defg-hij');
    await waitFor(() => {
      expect(currentLocation()).toBe('/login?next=%2Fr%2Fabc-defg-hij');
    });
  });

  it('says before joining that the meeting is being recorded', async () => {
    signInAs();
    fakeApi({ 'GET /rooms/abc-defg-hij': json(200, aRoom({ recording: true })) });
    openAt('/r/abc-defg-hij');
    await screen.findByRole('button', { name: 'Join now' });
    expect(
      screen.getByText(
        'This meeting is being recorded. If you join, you will be in the recording.',
      ),
    ).toBeVisible();
  });

  it('says nothing of recording when the meeting is not recorded', async () => {
    signInAs();
    fakeApi({ 'GET /rooms/abc-defg-hij': json(200, aRoom()) });
    openAt('/r/abc-defg-hij');
    await screen.findByRole('button', { name: 'Join now' });
    expect(screen.queryByText(/being recorded/)).toBeNull();
  });

  it('says when no meeting has the code, with a way back', async () => {
    signInAs();
    fakeApi({ 'GET /rooms/abc-defg-hij': apiError(404, 'room_not_found', 'No such room.') });
    openAt('/r/abc-defg-hij');
    expect(
      await screen.findByRole('heading', { name: 'No meeting with this code' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to dashboard' })).toHaveAttribute('href', '/');
  });

  it('offers to try again when the room cannot be looked up', async () => {
    signInAs();
    const server = fakeApi({
      'GET /rooms/abc-defg-hij': apiError(503, 'unavailable', 'The server is busy.'),
    });
    openAt('/r/abc-defg-hij');
    expect(await screen.findByText('The server is busy.')).toBeInTheDocument();
    server.on('GET /rooms/abc-defg-hij', json(200, aRoom()));
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Weekly sync' })).toBeInTheDocument();
  });

  it('asks for the password, refuses a wrong one and joins with the right one', async () => {
    signInAs();
    const server = fakeApi({
      'GET /rooms/abc-defg-hij': json(200, LOCKED),
      'POST /rooms/abc-defg-hij/join': (request) =>
        (request.body as { password?: string }).password === 'river stone'
          ? json(200, JOINED)
          : apiError(403, 'wrong_password', 'The room password is not right.'),
    });
    openAt('/r/abc-defg-hij');
    expect(await screen.findByRole('heading', { name: 'Board meeting' })).toBeInTheDocument();
    expect(screen.getByText('Hana Wijaya')).toBeInTheDocument();

    typePassword('guess');
    const field = screen.getByLabelText('Meeting password');
    await waitFor(() => {
      expect(field).toHaveAttribute('aria-invalid', 'true');
    });
    expect(field).toHaveAccessibleDescription(/That password is not right/);
    await waitFor(() => {
      expect(screen.getByTestId('password-field')).toHaveClass('motion-safe:animate-shake');
    });

    typePassword('river stone');
    expect(await inMeeting()).toBeInTheDocument();
    expect(server.called('POST /rooms/abc-defg-hij/join').map((r) => r.body)).toEqual([
      { password: 'guess' },
      { password: 'river stone' },
    ]);
  });

  it('lets members in without the password', async () => {
    signInAs();
    const server = fakeApi({
      'GET /rooms/abc-defg-hij': json(200, { ...LOCKED, my_role: 'host' }),
      'POST /rooms/abc-defg-hij/join': json(200, JOINED),
    });
    openAt('/r/abc-defg-hij');
    fireEvent.click(await screen.findByRole('button', { name: 'Join now' }));
    expect(screen.queryByLabelText('Meeting password')).toBeNull();
    await inMeeting();
    expect(server.called('POST /rooms/abc-defg-hij/join')[0]?.body).toEqual({});
  });

  it('says clearly that a full meeting is full', async () => {
    signInAs();
    fakeApi({
      'GET /rooms/abc-defg-hij': json(200, aRoom({ my_role: null, max_users: 4 })),
      'POST /rooms/abc-defg-hij/join': apiError(409, 'room_full', 'This meeting is full.', {
        details: { max_users: 4 },
      }),
    });
    openAt('/r/abc-defg-hij');
    fireEvent.click(await screen.findByRole('button', { name: 'Join now' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This meeting is full');
    expect(alert).toHaveTextContent('All 4 places are taken');
  });

  it.each([
    ['ended', 'This meeting has ended'],
    ['cancelled', 'This meeting was cancelled'],
  ] as const)('shows a %s meeting as such', async (status, heading) => {
    signInAs();
    fakeApi({ 'GET /rooms/abc-defg-hij': json(200, aRoom({ status })) });
    openAt('/r/abc-defg-hij');
    expect(await screen.findByRole('heading', { name: heading })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Join now' })).toBeNull();
  });

  it('shows the end when the meeting ended while waiting in the lobby', async () => {
    signInAs();
    fakeApi({
      'GET /rooms/abc-defg-hij': json(200, aRoom({ my_role: null })),
      'POST /rooms/abc-defg-hij/join': apiError(409, 'room_cancelled', 'Cancelled.'),
    });
    openAt('/r/abc-defg-hij');
    fireEvent.click(await screen.findByRole('button', { name: 'Join now' }));
    expect(
      await screen.findByRole('heading', { name: 'This meeting was cancelled' }),
    ).toBeInTheDocument();
  });

  it('leaves to a "You left" page: back to the dashboard from there', async () => {
    signInAs();
    const server = fakeApi({
      'GET /rooms/abc-defg-hij': json(200, aRoom({ my_role: null })),
      'POST /rooms/abc-defg-hij/join': json(200, {
        room: aRoom({ my_role: 'participant', participant_count: 1 }),
        participant: aParticipant({ role: 'participant' }),
      }),
      'POST /rooms/abc-defg-hij/leave': json(204),
      'GET /rooms': json(200, page([])),
      'GET /rooms/history': json(200, page([])),
    });
    openAt('/r/abc-defg-hij');
    fireEvent.click(await screen.findByRole('button', { name: 'Join now' }));
    expect(await inMeeting()).toBeVisible();
    fireEvent.click(screen.getByRole('button', { name: 'Leave meeting' }));
    expect(await screen.findByRole('heading', { name: 'You left the meeting' })).toBeVisible();
    expect(server.called('POST /rooms/abc-defg-hij/leave')).toHaveLength(1);
    expect(lobbyStore.getState().phase).toBe('left');
    expect(screen.queryByRole('toolbar', { name: 'Meeting controls' })).toBeNull();
    // No rating control: nothing would store it.
    expect(screen.queryByText(/rate/i)).toBeNull();
    fireEvent.click(screen.getByRole('link', { name: 'Back to dashboard' }));
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  });

  it('rejoins from the "You left" page through the pre-join screen', async () => {
    signInAs();
    const server = fakeApi({
      'GET /rooms/abc-defg-hij': json(200, aRoom({ my_role: null })),
      'POST /rooms/abc-defg-hij/join': json(200, {
        room: aRoom({ my_role: 'participant', participant_count: 1 }),
        participant: aParticipant({ role: 'participant' }),
      }),
      'POST /rooms/abc-defg-hij/leave': json(204),
    });
    openAt('/r/abc-defg-hij');
    fireEvent.click(await screen.findByRole('button', { name: 'Join now' }));
    expect(await inMeeting()).toBeVisible();
    fireEvent.click(screen.getByRole('button', { name: 'Leave meeting' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Rejoin' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Join now' }));
    expect(await inMeeting()).toBeVisible();
    expect(server.called('POST /rooms/abc-defg-hij/join')).toHaveLength(2);
    expect(server.called('GET /rooms/abc-defg-hij')).toHaveLength(2);
  });

  it('stays in the meeting when leaving fails', async () => {
    signInAs();
    fakeApi({
      'GET /rooms/abc-defg-hij': json(200, aRoom({ my_role: null, participant_count: 5 })),
      'POST /rooms/abc-defg-hij/join': json(200, {
        room: aRoom({ participant_count: 5 }),
        participant: aParticipant(),
      }),
      'POST /rooms/abc-defg-hij/leave': apiError(503, 'unavailable', 'Try again soon.'),
    });
    openAt('/r/abc-defg-hij');
    fireEvent.click(await screen.findByRole('button', { name: 'Join now' }));
    expect(await inMeeting()).toBeVisible();
    fireEvent.click(screen.getByRole('button', { name: 'Leave meeting' }));
    expect(await screen.findByText('Could not leave')).toBeInTheDocument();
    expect(screen.getByRole('toolbar', { name: 'Meeting controls' })).toBeInTheDocument();
  });
});
