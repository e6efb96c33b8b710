import type { LiveParticipant, ServerEvent } from '@/api';
import { SignalingClient } from '@/rtc';
import { useSignalingFactory } from '@/store';
import { fakeSockets } from './fake-socket';

export function aLiveParticipant(overrides: Partial<LiveParticipant> = {}): LiveParticipant {
  return {
    user_id: 'u-ayu',
    name: 'Ayu Lestari',
    role: 'host',
    muted: false,
    video: true,
    screen: false,
    hand: false,
    ...overrides,
  };
}

export function aRoomState(
  participants: LiveParticipant[] = [aLiveParticipant()],
  overrides: { you?: string; role?: LiveParticipant['role']; recording?: boolean } = {},
): ServerEvent {
  return {
    type: 'room_state',
    data: {
      room_id: 'room-1',
      you: overrides.you ?? 'u-ayu',
      role: overrides.role ?? 'host',
      recording: overrides.recording ?? false,
      participants,
    },
  };
}

/** The meeting store's sockets become fakes the test opens, feeds and closes. */
export function fakeSignaling() {
  const factory = fakeSockets();
  useSignalingFactory(
    (options) => new SignalingClient({ ...options, createSocket: factory.createSocket }),
  );
  return factory;
}
