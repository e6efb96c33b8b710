// The meeting page opened, joined from the pre-join screen and connected, for page tests.
import { act, fireEvent, screen, waitFor } from '@testing-library/preact';
import { expect } from 'vitest';
import type { LiveParticipant, RoomRole, RoomSettings } from '@/api';
import {
  resetMeetingStore,
  resetRoomStore,
  resetRoomsStore,
  resetUiStore,
  useSignalingFactory,
} from '@/store';
import { useDisplayMedia, useSessionFactory } from '@/store/media-call';
import { PREFS_KEY, resetMediaStore, useMediaDevices } from '@/store/media';
import { fakeApi, json } from './fake-api';
import type { FakeSocket } from './fake-socket';
import { aLiveParticipant, aRoomState, fakeSignaling } from './meeting';
import { fakeMediaDevices } from './media';
import { recordSessionPeers } from './media-session';
import { openAt } from './render-app';
import { aParticipant, aRoom } from './rooms';
import { resetSession, signInAs } from './session';

export const budi = aLiveParticipant({
  user_id: 'u-budi',
  name: 'Budi Santoso',
  role: 'participant',
});

/** Answers the request the client sent last with an ack. */
export async function ackLast(socket: FakeSocket, type: string) {
  const message = [...socket.sent].reverse().find((m) => m.type === type);
  await act(async () => {
    socket.receive({ type: 'ack', id: message!.id!, data: {} });
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

export async function joinMeetingAs(
  signaling: ReturnType<typeof fakeSignaling>,
  role: RoomRole,
  beforeJoin?: () => Promise<void>,
  room: {
    settings?: Partial<RoomSettings>;
    me?: Partial<LiveParticipant>;
    recordingAvailable?: boolean;
  } = {},
): Promise<FakeSocket> {
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
  await beforeJoin?.();
  fireEvent.click(await screen.findByRole('button', { name: 'Join now' }));
  await screen.findByRole('toolbar', { name: 'Meeting controls' });
  await waitFor(() => {
    expect(signaling.sockets).toHaveLength(1);
  });
  const socket = signaling.latest();
  await act(() => {
    socket.open();
    const me = aLiveParticipant({ role, ...room.me });
    socket.receive(
      aRoomState([me, budi], {
        role,
        settings: room.settings,
        recordingAvailable: room.recordingAvailable ?? false,
      }),
    );
  });
  return socket;
}

/** Fresh stores, fake devices and signaling, and media sessions over fake peers (recorded
 * in `peers`, the SFU's first). Call in `beforeEach`; `tearDownMeetingPage` in `afterEach`. */
export function setUpMeetingPage() {
  localStorage.removeItem(PREFS_KEY);
  resetUiStore();
  resetRoomStore();
  resetRoomsStore();
  resetMediaStore();
  resetSession();
  const signaling = fakeSignaling();
  fakeMediaDevices();
  const peers = recordSessionPeers();
  return { signaling, peers };
}

export function tearDownMeetingPage() {
  resetMeetingStore();
  resetMediaStore();
  useSignalingFactory(null);
  useSessionFactory(null);
  useMediaDevices(null);
  useDisplayMedia(null);
}

/** Shows the side panel's chat or people list (it shows one at a time). */
export function openPanel(name: 'Chat' | 'People') {
  const button = screen.getByRole('button', { name: new RegExp(`^${name}`) });
  if (button.getAttribute('aria-pressed') !== 'true') {
    fireEvent.click(button);
  }
}
