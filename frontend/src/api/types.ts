// The objects of the accounts API (docs/api.md, "Authentication"), field for field as sent.

/** ISO 8601 timestamp in UTC, e.g. "2026-11-24T10:00:00Z". */
export type Timestamp = string;

/** The caller's own profile. */
export interface User {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  /** Relative URL with a version (`/api/v1/users/<id>/avatar?v=3`), or null without a photo. */
  avatar_url: string | null;
  email_verified: boolean;
  /** "active" for accounts that may sign in. */
  status: string;
  created_at: Timestamp;
  last_login: Timestamp | null;
}

/** Anyone else: search results and contacts. */
export interface PublicUser {
  id: string;
  first_name: string;
  last_name: string;
  avatar_url: string | null;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  /** Seconds. */
  expires_in: number;
  refresh_expires_in: number;
  user: User;
}

/** One signed-in device. */
export interface Session {
  id: string;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  ip_address: string | null;
  user_agent: string | null;
  /** The session making this request. */
  current: boolean;
}

export type Presence = 'online' | 'offline' | 'in_meeting';

export interface Contact {
  user: PublicUser;
  presence: Presence;
  added_at: Timestamp;
}

export interface SearchPage<Item> {
  items: Item[];
  total: number;
  limit: number;
  offset: number;
}

export type VideoResolution = '360p' | '720p' | '1080p';
export type ThemePreference = 'system' | 'light' | 'dark';

export interface UserSettings {
  camera_on_join: boolean;
  mic_on_join: boolean;
  preferred_resolution: VideoResolution;
  theme: ThemePreference;
  echo_cancellation: boolean;
  noise_suppression: boolean;
  auto_gain_control: boolean;
  notify_email_invitations: boolean;
  notify_email_reminders: boolean;
  notify_in_app: boolean;
}

/** A mail kept by the development mailbox. */
export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  created_at: Timestamp;
}

/** Replies that only confirm, e.g. "Check your inbox". */
export interface Notice {
  message: string;
}

export interface Registration {
  email: string;
  password: string;
  first_name: string;
  last_name: string;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface ProfileChanges {
  first_name?: string;
  last_name?: string;
}

export interface PasswordChange {
  current_password: string;
  new_password: string;
}
