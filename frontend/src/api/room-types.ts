// The objects of the rooms API (docs/api.md, "Rooms"), field for field as sent.
import type { PublicUser, Timestamp, VideoResolution } from './types';

export type RoomStatus = 'active' | 'ended' | 'cancelled';
export type RoomRole = 'host' | 'moderator' | 'participant' | 'observer';
/** The roles a host may hand out; a room has exactly one host. */
export type AssignableRole = Exclude<RoomRole, 'host'>;

export interface Room {
  id: string;
  /** The meeting code used in links, e.g. "abc-defg-hij". */
  code: string;
  name: string;
  description: string | null;
  host: PublicUser;
  has_password: boolean;
  max_users: number;
  status: RoomStatus;
  /** A persistent room stays active after a meeting ends, ready for the next one. */
  persistent: boolean;
  scheduled_at: Timestamp | null;
  duration_minutes: number | null;
  created_at: Timestamp;
  ended_at: Timestamp | null;
  /** People in the meeting right now. */
  participant_count: number;
  /** The caller's role, or null when the caller is not a member. */
  my_role: RoomRole | null;
  invite_url: string;
}

export interface Participant {
  user: PublicUser;
  role: RoomRole;
  joined_at: Timestamp;
  /** Null while the person is in the meeting. */
  left_at: Timestamp | null;
}

export interface HistoryEntry {
  room: Pick<Room, 'id' | 'code' | 'name'>;
  user: PublicUser;
  joined_at: Timestamp;
  left_at: Timestamp | null;
  /** Null while the meeting goes on. */
  duration_seconds: number | null;
}

export interface Message {
  id: string;
  /** Null for system messages. */
  user: PublicUser | null;
  message: string;
  message_type: 'text' | 'system' | 'file';
  created_at: Timestamp;
}

export interface RoomSettings {
  mute_on_join: boolean;
  camera_off_on_join: boolean;
  allow_chat: boolean;
  allow_screen_share: boolean;
  lobby_enabled: boolean;
  max_video_resolution: VideoResolution;
  /** `auto`: two people connect directly, the SFU takes over from the third. */
  media_mode: MediaMode;
}

export type MediaMode = 'auto' | 'sfu';

export interface NewRoom {
  name: string;
  description?: string;
  /** 4 to 128 characters. */
  password?: string;
  /** 1 to 100; the server's default is 10. */
  max_users?: number;
  /** ISO 8601 with a time zone. */
  scheduled_at?: Timestamp;
  /** 1 to 1440. */
  duration_minutes?: number;
  persistent?: boolean;
  settings?: Partial<RoomSettings>;
}

/** `PUT /rooms/{roomId}`: settings change through their own endpoint. */
export interface RoomChanges {
  name?: string;
  description?: string | null;
  /** null removes the password. */
  password?: string | null;
  max_users?: number;
  scheduled_at?: Timestamp | null;
  duration_minutes?: number | null;
  persistent?: boolean;
  status?: 'cancelled';
}

export interface RoomQuery {
  scope?: 'all' | 'hosted' | 'joined';
  status?: RoomStatus;
  /** Only rooms scheduled from now on, soonest first. */
  upcoming?: boolean;
  limit?: number;
  offset?: number;
}

export interface PageQuery {
  limit?: number;
  offset?: number;
}

export interface JoinRequest {
  password?: string;
  as_observer?: boolean;
}

export interface Joined {
  room: Room;
  participant: Participant;
}

export interface MessagePage {
  items: Message[];
  next_cursor: string | null;
}

/** A downloaded calendar invitation. */
export interface Invitation {
  filename: string;
  text: string;
}
