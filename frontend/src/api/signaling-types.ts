// The WebSocket signaling protocol (docs/signaling.md), message for message as sent.
import type { RecordingStopReason, RoomRole, RoomSettings, Timestamp } from './schema';

/** An ICE candidate as the browser gives it (RTCIceCandidateInit). */
export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

// Client messages.

interface Bare<T extends string> {
  type: T;
  id?: string;
  data?: Record<string, never>;
}
interface With<T extends string, D> {
  type: T;
  id?: string;
  data: D;
}

export type ClientMessage =
  | Bare<'join_room'>
  // `media`: start this person's media session with the SFU (an observer receives only).
  | With<'join_room', { media: boolean }>
  | Bare<'leave_room'>
  | With<'chat', { text: string }>
  // Without `to` they go to the SFU; with a user id they are relayed peer-to-peer.
  | With<'offer', { to?: string; sdp: string }>
  | With<'answer', { to?: string; sdp: string }>
  | With<'ice-candidate', { to?: string; candidate: IceCandidate }>
  | With<'mute', { muted: boolean }>
  | With<'video', { enabled: boolean }>
  // `track_id`: the MediaStreamTrack id of the screen, so the SFU tells it from the camera.
  | With<'screen_share', { active: boolean; track_id?: string }>
  // Every video this person does not show now (`<user id>:camera`, `<user id>:screen`): the
  // SFU sends them none of it; the whole set each time.
  | With<'video_visibility', { hidden: string[] }>
  | With<'recording', { active: boolean }>
  | With<'raise_hand', { raised: boolean }>
  | With<'mute_participant', { userId: string }>
  | With<'remove_participant', { userId: string }>
  // Hosts and moderators: one person in everyone's main view; null: nobody.
  | With<'spotlight', { userId: string | null }>
  | Bare<'end_room'>
  // Hosts and moderators: the waiting room (also over REST, `/rooms/{id}/lobby/…`).
  | With<'admit', { userId: string }>
  | With<'deny', { userId: string }>
  | Bare<'admit_all'>
  | Bare<'ping'>
  | With<'refresh_token', { token: string }>;

export type ClientMessageType = ClientMessage['type'];

/**
 * Every client message type, once. The compiler holds it to the union above; the backend's
 * tests/unit/test_signaling_frontend_types.py holds it to the server's `ClientMessage`.
 */
const CLIENT_MESSAGE_TYPE_SET: Record<ClientMessageType, true> = {
  join_room: true,
  leave_room: true,
  chat: true,
  offer: true,
  answer: true,
  'ice-candidate': true,
  mute: true,
  video: true,
  screen_share: true,
  video_visibility: true,
  recording: true,
  raise_hand: true,
  mute_participant: true,
  remove_participant: true,
  spotlight: true,
  end_room: true,
  admit: true,
  deny: true,
  admit_all: true,
  ping: true,
  refresh_token: true,
};
export const CLIENT_MESSAGE_TYPES = Object.keys(CLIENT_MESSAGE_TYPE_SET) as ClientMessageType[];

// Server events.

/** One person connected to the room, with their media flags. */
export interface LiveParticipant {
  user_id: string;
  name: string;
  role: RoomRole;
  muted: boolean;
  video: boolean;
  screen: boolean;
  hand: boolean;
}

/** Who speaks now, as the SFU measures it (`level` in dBov, 0 loudest). */
export interface ActiveSpeakerData {
  user_id: string;
  level: number;
}

export interface RoomStateData {
  room_id: string;
  /** The receiver's own user id. */
  you: string;
  role: RoomRole;
  recording: boolean;
  /** This server records meetings at all: Record is offered only then. */
  recording_available: boolean;
  participants: LiveParticipant[];
  /** The room's settings as the meeting applies them (chat and screen-sharing rights). */
  settings: RoomSettings;
  /** The last `active_speaker` while that person is still here; null before anyone spoke. */
  active_speaker: ActiveSpeakerData | null;
  /** Who a host or moderator put in everyone's main view; null: nobody. */
  spotlight: string | null;
}

/** Someone in the room's waiting room, and since when (ISO 8601). */
export interface LobbyWaiter {
  user_id: string;
  name: string;
  since: Timestamp;
}

/** Why someone left; `password_changed`: a host changed the room password and took everyone
 * but the host out (docs/signaling.md). */
export type LeaveReason = 'left' | 'disconnected' | 'removed' | 'password_changed';

/** Recording started or stopped; a stop says why, and `error` when the server failed it. */
export interface RecordingStateData {
  active: boolean;
  by?: string | null;
  reason?: RecordingStopReason;
  /** e.g. `recording_storage_full`, `recording_write_failed`. */
  error?: string;
}

export interface ChatEventData {
  message_id: string;
  created_at: Timestamp;
  author: { id: string; name: string };
  text: string;
}

/** `ack` data: chat and refresh_token acks carry fields, the others are empty. */
export interface AckData {
  message_id?: string;
  created_at?: Timestamp;
  /** Seconds until the new token expires (refresh_token). */
  expires_in?: number;
  /** admit_all: the ids of those let in. */
  admitted?: string[];
}

export type SignalingErrorCode =
  | 'invalid_json'
  | 'invalid_message'
  | 'unknown_type'
  | 'too_large'
  | 'rate_limited'
  | 'not_allowed'
  | 'participant_not_found'
  | 'not_in_room'
  | 'host_not_removable'
  | 'cannot_remove_self'
  | 'invalid_token'
  | 'session_ended'
  | 'user_mismatch'
  | 'token_expired'
  | 'negotiation_glare'
  | 'unexpected_answer'
  | 'invalid_sdp'
  | 'invalid_candidate'
  | 'too_many_candidates'
  | 'codec_unsupported'
  | 'media_not_started'
  // Record where the server does not record.
  | 'recording_unavailable'
  | 'no_sfu'
  // The server is overloaded (chat writer queue full) or a dependency is down: try again.
  | 'busy'
  | 'unavailable'
  // A chat line was stored but the bus did not take it: the error carries its id and
  // time; it is in the transcript, and must not be sent again.
  | 'not_delivered'
  // Other domain errors keep their REST code.
  | (string & {});

export interface ErrorData {
  code: SignalingErrorCode;
  message: string;
  /** `not_delivered` only: the stored line's id and time. */
  message_id?: string;
  created_at?: string;
}

interface Event<T extends string, D> {
  type: T;
  id?: string;
  data: D;
}

/** `from` of the media events the SFU itself sends. */
export const SFU_PEER = 'sfu';

export type ServerEvent =
  | Event<'room_state', RoomStateData>
  | Event<'participant_joined', { participant: LiveParticipant }>
  | Event<'participant_left', { user_id: string; reason: LeaveReason; by?: string }>
  | Event<'participant_updated', { participant: LiveParticipant; by?: string }>
  | Event<'chat', ChatEventData>
  | Event<'offer', { from: string; sdp: string }>
  | Event<'answer', { from: string; sdp: string }>
  | Event<'ice-candidate', { from: string; candidate: IceCandidate }>
  | Event<'recording_state', RecordingStateData>
  | Event<'active_speaker', ActiveSpeakerData>
  | Event<'media_mode', MediaModeAdvice>
  | Event<'room_ended', { by?: string }>
  | Event<'removed', { by?: string }>
  | Event<'spotlight', { user_id: string | null; by: string }>
  | Event<'room_settings', { settings: RoomSettings; by?: string | null }>
  // To hosts and moderators only: the whole waiting room now, longest waiting first.
  | Event<'lobby_waiting', { waiting: LobbyWaiter[] }>
  | Event<'pong', Record<string, never>>
  | Event<'ack', AckData>
  | Event<'error', ErrorData>;

export type ServerEventType = ServerEvent['type'];

/** Every server event type, once; checked like `CLIENT_MESSAGE_TYPES` (server: `ServerEvent`). */
const SERVER_EVENT_TYPE_SET: Record<ServerEventType, true> = {
  room_state: true,
  participant_joined: true,
  participant_left: true,
  participant_updated: true,
  chat: true,
  offer: true,
  answer: true,
  'ice-candidate': true,
  recording_state: true,
  active_speaker: true,
  media_mode: true,
  room_ended: true,
  removed: true,
  spotlight: true,
  room_settings: true,
  lobby_waiting: true,
  pong: true,
  ack: true,
  error: true,
};
export const SERVER_EVENT_TYPES = Object.keys(SERVER_EVENT_TYPE_SET) as ServerEventType[];

/** The SFU's advice on how to connect (docs/signaling.md, `media_mode`). */
export type MediaModeAdvice =
  { mode: 'sfu' } | { mode: 'p2p'; peer: null } | { mode: 'p2p'; peer: string; polite: boolean };

/** The event of one type, e.g. `ServerEventOf<'chat'>`. */
export type ServerEventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

/** WebSocket close codes the server uses. */
export const CloseCode = {
  Normal: 1000,
  ServerError: 1011,
  TryAgainLater: 1013,
  InvalidRequest: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  RoomNotFound: 4404,
  IdleTimeout: 4408,
  RoomFull: 4409,
  RoomEnded: 4410,
  Replaced: 4412,
  /** The room is served by another node: ask `GET /rooms/{id}/signaling` again. */
  Misdirected: 4421,
  TooManyRequests: 4429,
  SlowConsumer: 4503,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** After these the server will not take the socket back: report, do not reconnect. */
export const FINAL_CLOSE_CODES: readonly number[] = [
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.RoomNotFound,
  CloseCode.RoomEnded,
];
