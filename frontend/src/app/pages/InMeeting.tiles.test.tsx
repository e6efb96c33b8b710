import { act, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RoomRole } from '@/api';
import { meetingStore } from '@/store';
import { callStore } from '@/store/media-call';
import { LONG_PRESS_MS } from '@/features/meeting';
import type { fakeSignaling } from '@/test/meeting';
import { aLiveParticipant } from '@/test/meeting';
import { joinMeetingAs, setUpMeetingPage, tearDownMeetingPage } from '@/test/in-meeting';

// A tile's menu: pin here, spotlight for everyone, mute and remove, and volume for me.

let signaling: ReturnType<typeof fakeSignaling>;

beforeAll(async () => {
  await import('./MeetingPage');
});

beforeEach(() => {
  ({ signaling } = setUpMeetingPage());
});

afterEach(tearDownMeetingPage);

const joinAs = (role: RoomRole) => joinMeetingAs(signaling, role);

const cem = aLiveParticipant({ user_id: 'u-cem', name: 'Cem Yilmaz', role: 'participant' });

function tileOf(userId: string): HTMLElement {
  const tile = screen.getAllByTestId('video-tile').find((t) => t.dataset.userId === userId);
  if (!tile) {
    throw new Error(`no tile for ${userId}`);
  }
  return tile;
}

function openMenu(name: string) {
  fireEvent.click(screen.getByRole('button', { name: `Options for ${name}` }));
  return screen.getByRole('dialog', { name: `Options for ${name}` });
}

const mainTileUser = () =>
  within(screen.getByTestId('main-view')).getByTestId('video-tile').dataset.userId;

describe('the tile menu', () => {
  it('pins a tile on this screen only, and unpins it', async () => {
    const socket = await joinAs('participant');
    await act(() => {
      socket.receive({ type: 'participant_joined', data: { participant: cem } });
    });
    const menu = openMenu('Cem Yilmaz');
    // a participant is offered no spotlight, mute or remove
    expect(within(menu).queryByRole('button', { name: 'Spotlight for everyone' })).toBeNull();
    expect(within(menu).queryByRole('button', { name: /Mute for everyone|Remove/ })).toBeNull();
    const sent = socket.sent.length;
    fireEvent.click(within(menu).getByRole('button', { name: 'Pin for me' }));
    expect(socket.sent).toHaveLength(sent); // nothing goes to the server
    expect(mainTileUser()).toBe('u-cem');
    expect(within(tileOf('u-cem')).getByText('Pinned')).toBeInTheDocument();
    fireEvent.click(within(openMenu('Cem Yilmaz')).getByRole('button', { name: 'Unpin' }));
    expect(meetingStore.getState().pinned).toBeNull();
  });

  it('lets a host spotlight someone for everyone; the spotlight takes the stage', async () => {
    const socket = await joinAs('host');
    await act(() => {
      socket.receive({ type: 'participant_joined', data: { participant: cem } });
    });
    fireEvent.click(
      within(openMenu('Cem Yilmaz')).getByRole('button', { name: 'Spotlight for everyone' }),
    );
    expect(socket.lastSent()).toMatchObject({ type: 'spotlight', data: { userId: 'u-cem' } });
    await act(() => {
      socket.receive({ type: 'spotlight', data: { user_id: 'u-cem', by: 'u-ayu' } });
    });
    expect(mainTileUser()).toBe('u-cem');
    expect(within(tileOf('u-cem')).getByText('Spotlight')).toBeInTheDocument();
    fireEvent.click(
      within(openMenu('Cem Yilmaz')).getByRole('button', { name: 'Remove spotlight' }),
    );
    expect(socket.lastSent()).toMatchObject({ type: 'spotlight', data: { userId: null } });
    // The spotlit person leaving takes the spotlight with them.
    await act(() => {
      socket.receive({ type: 'participant_left', data: { user_id: 'u-cem', reason: 'left' } });
    });
    expect(meetingStore.getState().spotlight).toBeNull();
  });

  it('mutes and, after confirming, removes from the tile (hosts), and opens on a long press', async () => {
    const socket = await joinAs('host');
    fireEvent.click(
      within(openMenu('Budi Santoso')).getByRole('button', { name: 'Mute for everyone' }),
    );
    expect(socket.lastSent()).toMatchObject({
      type: 'mute_participant',
      data: { userId: 'u-budi' },
    });
    expect(screen.queryByTestId('tile-menu')).toBeNull();
    fireEvent.contextMenu(tileOf('u-budi'));
    const menu = screen.getByTestId('tile-menu');
    fireEvent.click(within(menu).getByRole('button', { name: 'Remove from meeting' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove Budi Santoso?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(socket.lastSent()).toMatchObject({
      type: 'remove_participant',
      data: { userId: 'u-budi' },
    });
    // a finger resting on a tile opens its menu too
    fireEvent.keyDown(window, { key: 'Escape' });
    vi.useFakeTimers();
    try {
      fireEvent.touchStart(tileOf('u-budi'));
      void act(() => {
        vi.advanceTimersByTime(LONG_PRESS_MS + 10);
      });
      expect(screen.getByTestId('tile-menu')).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it('sets a volume and a local mute per person, and Escape closes the menu', async () => {
    await joinAs('participant');
    const menu = openMenu('Budi Santoso');
    const slider = within(menu).getByRole('slider', { name: 'Volume of Budi Santoso' });
    fireEvent.input(slider, { target: { value: '40' } });
    expect(callStore.getState().volumes['u-budi']).toBe(0.4);
    fireEvent.click(within(menu).getByRole('button', { name: 'Mute Budi Santoso for me' }));
    expect(callStore.getState().localMuted['u-budi']).toBe(true);
    expect(slider).toBeDisabled();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('tile-menu')).toBeNull();
    expect(screen.getByRole('button', { name: 'Options for Budi Santoso' })).toHaveFocus();
  });
});
