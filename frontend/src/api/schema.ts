// The objects of the REST API (docs/api.md), named for the app. Every type here is taken from
// the server's OpenAPI document: `schema.gen.ts`, written by `npm run api:types`
// (scripts/gen-api-types.sh) and checked against the server by `make api-types-check`.
// Where the server's schema is looser than what it sends, `Narrow` and `Sent` tighten it;
// each such place says why, and the compiler checks the tighter type still fits the schema.
import type { components, paths } from './schema.gen';

type Schemas = components['schemas'];
type Method = 'get' | 'post' | 'put' | 'delete';
/** A route as the client is given it: the OpenAPI path without the `/api/v1` prefix. */
type RouteOf<Path> = Path extends `/api/v1${infer Route}` ? Route : never;
type FullPath<Route extends ApiRoute> = `/api/v1${Route}` & keyof paths;
type Operation<Route extends ApiRoute, M extends Method> = NonNullable<paths[FullPath<Route>][M]>;

/** Every route of `/api/v1`, e.g. `/rooms/{room_id}/join`. */
export type ApiRoute = RouteOf<keyof paths>;

/** The query parameters of a route. */
export type QueryOf<Route extends ApiRoute, M extends Method = 'get'> = NonNullable<
  Operation<Route, M>['parameters']['query']
>;

/** The JSON body a route takes. */
export type BodyOf<Route extends ApiRoute, M extends Method> =
  NonNullable<Operation<Route, M>['requestBody']> extends {
    content: { 'application/json': infer Body };
  }
    ? Body
    : never;

/** The JSON a route answers with when it succeeds; `undefined` for 204 No Content. */
export type ResponseOf<Route extends ApiRoute, M extends Method> = SuccessBody<
  Operation<Route, M>['responses']
>;
type SuccessBody<Responses> = Responses[Extract<
  keyof Responses,
  200 | 201 | 202 | 204
>] extends infer Reply
  ? Reply extends { content: { 'application/json': infer Body } }
    ? Body
    : undefined
  : never;

/**
 * `T` with some fields narrowed by hand. Each narrowed field must still fit the schema's
 * type, so a change on the server that no longer allows the narrowing fails to compile.
 */
type Narrow<T, Fields extends { [K in keyof Fields]: K extends keyof T ? T[K] : never }> = Omit<
  T,
  keyof Fields
> &
  Fields;

/**
 * A response object as sent. The server writes every field, defaults included, but its
 * schema marks fields that have a default as optional (the request-side reading).
 */
type Sent<T> = Required<T>;

/** ISO 8601 timestamp in UTC, e.g. "2026-11-24T10:00:00Z". */
export type Timestamp = string;

// Accounts: `/auth/*`, `/users/*`, `/dev/*`.

/** The caller's own profile. `avatar_url` is relative and versioned, or null. */
export type User = Schemas['UserOut'];
/** Anyone else: search results and contacts. */
export type PublicUser = Schemas['PublicUserOut'];
export type Tokens = Schemas['TokensOut'];
/** `{ user }`: what sign-up and email verification answer. */
export type UserReply = Schemas['UserEnvelope'];
/**
 * One signed-in device; `current` marks the one making the request. Narrowed: the schema
 * allows a null `last_used_at`, but the server sends `created_at` for an unused session.
 */
export type Session = Narrow<Schemas['SessionOut'], { last_used_at: Timestamp }>;
export type Contact = Schemas['ContactOut'];
export type Presence = Contact['presence'];
export type UserSearchPage = Schemas['UserSearchPage'];
export type UserSettings = Sent<Schemas['UserPreferences']>;
/** `GET`/`PUT /users/settings`: the settings, every one of them. */
export type UserSettingsReply = Narrow<Schemas['SettingsOut'], { settings: UserSettings }>;
export type VideoResolution = UserSettings['preferred_resolution'];
export type ThemePreference = UserSettings['theme'];
/** A mail kept by the development mailbox. */
export type MailboxMessage = Schemas['MailOut'];
/** Whose mail the development mailbox shows: the signed-in person's own, or everyone's. */
export type MailboxStatus = Schemas['MailboxStatus'];
/** Replies that only confirm, e.g. "Check your inbox". */
export type Notice = Schemas['rapat__api__schemas__auth__MessageOut'];
export type Registration = Schemas['RegisterIn'];
export type Credentials = Schemas['LoginIn'];
export type ProfileChanges = Schemas['ProfileIn'];
export type PasswordChange = Schemas['PasswordChangeIn'];

// Rooms: `/rooms/*`.

export type RoomQuery = QueryOf<'/rooms'>;
export type RoomStatus = NonNullable<RoomQuery['status']>;
/** The roles a host may hand out; a room has exactly one host. */
export type AssignableRole = Schemas['RoleIn']['role'];
export type RoomRole = 'host' | AssignableRole;

/**
 * A room. Narrowed: the server's schema has `status: str` and `my_role: str | null`, though
 * it only ever sends a `RoomStatus` and a `RoomRole`. `my_role` is null for non-members.
 */
export type Room = Narrow<Schemas['RoomOut'], { status: RoomStatus; my_role: RoomRole | null }>;
export type RoomPage = Narrow<Schemas['RoomPage'], { items: Room[] }>;
/** Narrowed like `Room`: the schema has `role: str`. `left_at` is null while in the meeting. */
export type Participant = Narrow<Schemas['ParticipantOut'], { role: RoomRole }>;
export type Joined = Narrow<Schemas['JoinOut'], { room: Room; participant: Participant }>;
/** The join's 202 answer in a room with a waiting room: wait to be let in (decision 59). */
export type JoinWaiting = Narrow<Schemas['JoinWaitingOut'], { room: Room }>;
/** Someone waiting in a room's lobby, as hosts and moderators see them. */
export type LobbyEntry = Schemas['WaitingOut'];
/** Where a room's signaling socket is (`GET /rooms/{id}/signaling`): a node's WebSocket URL,
 * or `url: null` for `/ws` on the page's own origin. */
export type SignalingPlace = Schemas['SignalingOut'];
/** Where the caller stands in a room's lobby (`GET /rooms/{id}/lobby/me`). */
export type LobbyPlace = Schemas['LobbyStatusOut'];
export type Admitted = Schemas['AdmittedOut'];
export type HistoryEntry = Schemas['HistoryOut'];
/** Someone a host or moderator removed: kept out of the room until let back in. */
export type RoomBan = Schemas['BanOut'];
export type HistoryPage = Schemas['HistoryPage'];
/** A chat message; `user` is null for system messages. Narrowed: the schema has a plain `str`. */
export type Message = Narrow<
  Schemas['rapat__api__schemas__rooms__MessageOut'],
  { message_type: 'text' | 'system' | 'file' }
>;
export type MessagePage = Narrow<Schemas['MessagePageOut'], { items: Message[] }>;
export type MessageQuery = QueryOf<'/rooms/{room_id}/messages'>;
export type RoomSettings = Sent<Schemas['RoomSettingsOut']>;
/** Who may start and stop recording a meeting: the host alone, or moderators too. */
export type RecordingPermission = RoomSettings['recording_permission'];
/** `auto`: two people connect directly, the SFU takes over from the third. */
export type MediaMode = RoomSettings['media_mode'];
/** Who waits in the lobby: strangers, or everyone but the host and moderators. */
export type LobbyScope = RoomSettings['lobby_scope'];
export type RoomSettingsChanges = Schemas['RoomSettingsPatch'];
export type NewRoom = Schemas['RoomCreateIn'];
/** `PUT /rooms/{roomId}`: settings change through their own endpoint; a null password removes it. */
export type RoomChanges = Schemas['RoomUpdateIn'];
export type PageQuery = QueryOf<'/rooms/history'>;
export type JoinRequest = Schemas['JoinIn'];

// Notifications: `/notifications`, `/rooms/{id}/invitations`.

/** `data` carries e.g. `url` and `room_name`; `type` is a `NotificationType` or newer. */
export type AppNotification = Schemas['NotificationOut'];
export type NotificationPage = Schemas['NotificationPage'];
export type NotificationQuery = QueryOf<'/notifications'>;
export type UnreadCount = Schemas['UnreadCountOut'];
export type MarkedRead = Schemas['MarkedReadOut'];
/** The ids of the people invited. */
export type Invited = Schemas['InvitationOut'];

// Media: `/rtc/*`.

/** Shaped like the browser's RTCIceServer; TURN entries carry `username` and `credential`. */
export type IceServerEntry = Sent<Schemas['IceServerOut']>;
export type IceServersResponse = Narrow<
  Schemas['IceServersOut'],
  { ice_servers: IceServerEntry[] }
>;

// Recordings: `/recordings/*`, `/rooms/{id}/recordings`, `/server/features`.

/** recording: capture under way; queued → composing → ready, or failed (its `error` says why). */
export type RecordingStatus = Recording['status'];
/** Why capture stopped: asked, everyone left, the meeting ended, the disk failed, the server died. */
export type RecordingStopReason =
  'requested' | 'room_empty' | 'room_ended' | 'failed' | 'interrupted';
/**
 * A recording. Narrowed: the schema has `stop_reason: str | null`, though the server only
 * sends a `RecordingStopReason`. `error` is a code such as `recording_storage_full`,
 * sometimes followed by ": details".
 */
export type Recording = Narrow<
  Schemas['RecordingOut'],
  { stop_reason: RecordingStopReason | null }
>;
export type RecordingPage = Narrow<Schemas['RecordingPage'], { items: Recording[] }>;
export type RecordingQuery = QueryOf<'/recordings'>;
/** A short-lived URL for `<video src>` (it honours Range) and, with `download=1`, for saving. */
export type RecordingLink = Schemas['FileLinkOut'];
/** What this server offers: `recording` is false where nothing would be recorded. */
export type ServerFeatures = Schemas['FeaturesOut'];
