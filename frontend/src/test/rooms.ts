import type { HistoryEntry, Participant, PublicUser, Room, RoomSettings } from '@/api';

export const HANA: PublicUser = {
  id: 'u-hana',
  first_name: 'Hana',
  last_name: 'Wijaya',
  avatar_url: null,
};

export function aRoom(overrides: Partial<Room> = {}): Room {
  const code = overrides.code ?? 'abc-defg-hij';
  return {
    id: 'room-1',
    code,
    name: 'Weekly sync',
    description: null,
    host: HANA,
    has_password: false,
    max_users: 10,
    status: 'active',
    persistent: false,
    scheduled_at: null,
    duration_minutes: null,
    created_at: '2026-11-20T08:00:00Z',
    ended_at: null,
    participant_count: 0,
    my_role: 'host',
    invite_url: `http://rapat.test/r/${code}`,
    recording: false,
    ...overrides,
  };
}

export function aParticipant(overrides: Partial<Participant> = {}): Participant {
  return {
    user: HANA,
    role: 'host',
    joined_at: '2026-11-20T09:00:00Z',
    left_at: null,
    ...overrides,
  };
}

export function aHistoryEntry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    room: { id: 'room-1', code: 'abc-defg-hij', name: 'Weekly sync' },
    user: HANA,
    joined_at: '2026-11-20T09:00:00Z',
    left_at: '2026-11-20T09:31:00Z',
    duration_seconds: 1830,
    recording_url: null,
    ...overrides,
  };
}

export const DEFAULT_ROOM_SETTINGS: RoomSettings = {
  mute_on_join: false,
  camera_off_on_join: false,
  allow_chat: true,
  allow_screen_share: true,
  lobby_enabled: false,
  max_video_resolution: '720p',
  media_mode: 'auto',
  recording_permission: 'host',
};

export function page<Item>(items: Item[], total = items.length) {
  return { items, total, limit: 20, offset: 0 };
}

/** The moment `days` from now, as the server would send it. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();
}
