import type { LiveParticipant, RoomSettings, ServerEvent } from '@/api';
import { SignalingClient } from '@/rtc';
import { useSignalingFactory } from '@/store';
import { fakeSockets } from './fake-socket';
import { DEFAULT_ROOM_SETTINGS } from './rooms';

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
  overrides: {
    you?: string;
    role?: LiveParticipant['role'];
    recording?: boolean;
    recordingAvailable?: boolean;
    settings?: Partial<RoomSettings>;
    activeSpeaker?: string | null;
    spotlight?: string | null;
  } = {},
): ServerEvent {
  return {
    type: 'room_state',
    data: {
      room_id: 'room-1',
      you: overrides.you ?? 'u-ayu',
      role: overrides.role ?? 'host',
      recording: overrides.recording ?? false,
      recording_available: overrides.recordingAvailable ?? false,
      participants,
      settings: { ...DEFAULT_ROOM_SETTINGS, ...overrides.settings },
      active_speaker: overrides.activeSpeaker
        ? { user_id: overrides.activeSpeaker, level: -23 }
        : null,
      spotlight: overrides.spotlight ?? null,
    },
  };
}

/**
 * The meeting store's sockets become fakes the test opens, feeds and closes. They open at once
 * on the page's origin, as with one process; `{ locate: true }` keeps the store's
 * `GET /rooms/{id}/signaling` before every connect (the test's fake API answers it).
 */
export function fakeSignaling({ locate = false }: { locate?: boolean } = {}) {
  const factory = fakeSockets();
  useSignalingFactory(
    (options) =>
      new SignalingClient({
        ...options,
        locate: locate ? options.locate : undefined,
        createSocket: factory.createSocket,
      }),
  );
  return factory;
}
