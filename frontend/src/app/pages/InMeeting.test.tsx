import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomRole } from '@/api';
import {
  resetMeetingStore,
  resetRoomStore,
  resetRoomsStore,
  resetUiStore,
  useSignalingFactory,
} from '@/store';
import { fakeApi, json } from '@/test/fake-api';
import type { FakeSocket } from '@/test/fake-socket';
import { aLiveParticipant, aRoomState, fakeSignaling } from '@/test/meeting';
import { openAt } from '@/test/render-app';
import { aParticipant, aRoom } from '@/test/rooms';
import { resetSession, signInAs } from '@/test/session';

const budi = aLiveParticipant({ user_id: 'u-budi', name: 'Budi Santoso', role: 'participant' });
let signaling: ReturnType<typeof fakeSignaling>;

beforeEach(() => {
  resetUiStore();
  resetRoomStore();
  resetRoomsStore();
  resetSession();
  signaling = fakeSignaling();
});

afterEach(() => {
  resetMeetingStore();
  useSignalingFactory(null);
});

async function joinAs(role: RoomRole): Promise<FakeSocket> {
  signInAs();
  fakeApi({
    'GET /rooms/abc-defg-hij': json(200, aRoom({ my_role: role })),
    'POST /rooms/abc-defg-hij/join': json(200, {
      room: aRoom({ my_role: role }),
      participant: aParticipant({ role }),
    }),
    'GET /rooms/room-1/messages': json(200, {
      items: [
        {
          id: 'm1',
          user: { id: 'u-budi', first_name: 'Budi', last_name: 'Santoso', avatar_url: null },
          message: 'See https://example.id/doc <b>x</b>',
          message_type: 'text',
          created_at: '2026-11-24T14:00:00Z',
        },
      ],
      next_cursor: null,
    }),
  });
  openAt('/r/abc-defg-hij');
  fireEvent.click(await screen.findByRole('button', { name: 'Join now' }));
  await screen.findByRole('toolbar', { name: 'Meeting controls' });
  await waitFor(() => {
    expect(signaling.sockets).toHaveLength(1);
  });
  const socket = signaling.latest();
  await act(() => {
    socket.open();
    socket.receive(aRoomState([aLiveParticipant({ role }), budi], { role }));
  });
  return socket;
}

describe('in the meeting', () => {
  it('lists the people with roles and flags, and shows chat history as text', async () => {
    await joinAs('participant');
    const people = screen.getByRole('list', { name: 'Participants' });
    const rows = within(people).getAllByRole('listitem');
    expect(rows[0]).toHaveTextContent('Ayu Lestari (you)');
    expect(rows[1]).toHaveTextContent('Budi Santoso');
    expect(within(rows[1]!).getByRole('img', { name: 'Microphone on' })).toBeInTheDocument();
    expect(within(people).queryByRole('button', { name: /Remove/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'End for everyone' })).toBeNull();

    const log = screen.getByRole('log', { name: 'Chat messages' });
    expect(await within(log).findByText(/<b>x<\/b>/)).toBeInTheDocument();
    expect(log.querySelector('b')).toBeNull();
    const link = within(log).getByRole('link', { name: 'https://example.id/doc' });
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('sends chat and media flags, and follows updates from others', async () => {
    const socket = await joinAs('participant');
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
    const people = screen.getByRole('list', { name: 'Participants' });
    expect(within(people).getByRole('img', { name: 'Microphone off' })).toBeInTheDocument();
    expect(within(people).getByRole('img', { name: 'Hand raised' })).toBeInTheDocument();
  });

  it('lets a host mute and, after confirming, remove someone', async () => {
    const socket = await joinAs('host');
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

  it('says when you were removed', async () => {
    const socket = await joinAs('participant');
    await act(() => {
      socket.receive({ type: 'removed', data: { by: 'u-hana' } });
      socket.drop(4403);
    });
    expect(
      screen.getByRole('heading', { name: 'You were removed from the meeting' }),
    ).toBeVisible();
  });
});
