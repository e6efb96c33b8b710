// Compile-time only (nothing imports this file; `npm run typecheck` checks it): every endpoint
// function answers with what its route answers in the server's OpenAPI document. A route that
// goes away or changes its reply's type fails here. Narrowed types (schema.ts) fit, as they
// must. Not checked: `rooms.invitation`, which reads text/calendar.
import type { AuthEndpoints, DevEndpoints, UserEndpoints } from './accounts';
import type { NotificationEndpoints } from './notifications';
import type { RecordingEndpoints, ServerEndpoints } from './recordings';
import type { RoomEndpoints } from './rooms';
import type { RtcEndpoints } from './rtc';
import type { ApiRoute, ResponseOf } from './schema';

type Reply<Endpoint> = Endpoint extends (...args: never[]) => Promise<infer Body> ? Body : never;
type Method = 'get' | 'post' | 'put' | 'delete';
/** Compiles only when the endpoint's reply fits the route's. */
type Answers<
  Endpoint extends (...args: never[]) => Promise<ResponseOf<Route, M>>,
  M extends Method,
  Route extends ApiRoute,
> = [Reply<Endpoint>, M, Route];

export type AuthReplies = [
  Answers<AuthEndpoints['register'], 'post', '/auth/register'>,
  Answers<AuthEndpoints['login'], 'post', '/auth/login'>,
  Answers<AuthEndpoints['refresh'], 'post', '/auth/refresh'>,
  Answers<AuthEndpoints['logout'], 'post', '/auth/logout'>,
  Answers<AuthEndpoints['verifyEmail'], 'post', '/auth/verify-email'>,
  Answers<AuthEndpoints['resendVerification'], 'post', '/auth/resend-verification'>,
  Answers<AuthEndpoints['forgotPassword'], 'post', '/auth/forgot-password'>,
  Answers<AuthEndpoints['resetPassword'], 'post', '/auth/reset-password'>,
  Answers<AuthEndpoints['sessions'], 'get', '/auth/sessions'>,
  Answers<AuthEndpoints['revokeSession'], 'delete', '/auth/sessions/{session_id}'>,
];

export type UserReplies = [
  Answers<UserEndpoints['profile'], 'get', '/users/profile'>,
  Answers<UserEndpoints['updateProfile'], 'put', '/users/profile'>,
  Answers<UserEndpoints['uploadAvatar'], 'put', '/users/profile/avatar'>,
  Answers<UserEndpoints['removeAvatar'], 'delete', '/users/profile/avatar'>,
  Answers<UserEndpoints['changePassword'], 'put', '/users/password'>,
  Answers<UserEndpoints['contacts'], 'get', '/users/contacts'>,
  Answers<UserEndpoints['addContact'], 'post', '/users/contacts'>,
  Answers<UserEndpoints['removeContact'], 'delete', '/users/contacts/{contact_id}'>,
  Answers<UserEndpoints['search'], 'get', '/users/search'>,
  Answers<UserEndpoints['settings'], 'get', '/users/settings'>,
  Answers<UserEndpoints['updateSettings'], 'put', '/users/settings'>,
  Answers<DevEndpoints['mailbox'], 'get', '/dev/mailbox'>,
  Answers<DevEndpoints['mailboxStatus'], 'get', '/dev/mailbox/status'>,
];

export type RoomReplies = [
  Answers<RoomEndpoints['create'], 'post', '/rooms'>,
  Answers<RoomEndpoints['list'], 'get', '/rooms'>,
  Answers<RoomEndpoints['myHistory'], 'get', '/rooms/history'>,
  Answers<RoomEndpoints['get'], 'get', '/rooms/{room_id}'>,
  Answers<RoomEndpoints['update'], 'put', '/rooms/{room_id}'>,
  Answers<RoomEndpoints['cancel'], 'put', '/rooms/{room_id}'>,
  Answers<RoomEndpoints['remove'], 'delete', '/rooms/{room_id}'>,
  Answers<RoomEndpoints['join'], 'post', '/rooms/{room_id}/join'>,
  Answers<RoomEndpoints['signaling'], 'get', '/rooms/{room_id}/signaling'>,
  Answers<RoomEndpoints['leave'], 'post', '/rooms/{room_id}/leave'>,
  Answers<RoomEndpoints['lobbyPlace'], 'get', '/rooms/{room_id}/lobby/me'>,
  Answers<RoomEndpoints['leaveLobby'], 'delete', '/rooms/{room_id}/lobby/me'>,
  Answers<RoomEndpoints['lobby'], 'get', '/rooms/{room_id}/lobby'>,
  Answers<RoomEndpoints['admit'], 'post', '/rooms/{room_id}/lobby/{user_id}/admit'>,
  Answers<RoomEndpoints['deny'], 'post', '/rooms/{room_id}/lobby/{user_id}/deny'>,
  Answers<RoomEndpoints['admitAll'], 'post', '/rooms/{room_id}/lobby/admit-all'>,
  Answers<RoomEndpoints['end'], 'post', '/rooms/{room_id}/end'>,
  Answers<RoomEndpoints['participants'], 'get', '/rooms/{room_id}/participants'>,
  Answers<RoomEndpoints['assignRole'], 'put', '/rooms/{room_id}/participants/{user_id}'>,
  Answers<RoomEndpoints['history'], 'get', '/rooms/{room_id}/history'>,
  Answers<RoomEndpoints['messages'], 'get', '/rooms/{room_id}/messages'>,
  Answers<RoomEndpoints['settings'], 'get', '/rooms/{room_id}/settings'>,
  Answers<RoomEndpoints['updateSettings'], 'put', '/rooms/{room_id}/settings'>,
];

export type NotificationReplies = [
  Answers<NotificationEndpoints['list'], 'get', '/notifications'>,
  Answers<NotificationEndpoints['unreadCount'], 'get', '/notifications/unread-count'>,
  Answers<NotificationEndpoints['markRead'], 'post', '/notifications/{notification_id}/read'>,
  Answers<NotificationEndpoints['markAllRead'], 'post', '/notifications/read'>,
  Answers<NotificationEndpoints['invite'], 'post', '/rooms/{room_id}/invitations'>,
  Answers<RtcEndpoints['iceServers'], 'get', '/rtc/ice-servers'>,
];

export type RecordingReplies = [
  Answers<RecordingEndpoints['list'], 'get', '/recordings'>,
  Answers<RecordingEndpoints['ofRoom'], 'get', '/rooms/{room_id}/recordings'>,
  Answers<RecordingEndpoints['get'], 'get', '/recordings/{recording_id}'>,
  Answers<RecordingEndpoints['remove'], 'delete', '/recordings/{recording_id}'>,
  Answers<RecordingEndpoints['retry'], 'post', '/recordings/{recording_id}/retry'>,
  Answers<RecordingEndpoints['link'], 'get', '/recordings/{recording_id}/link'>,
  Answers<ServerEndpoints['features'], 'get', '/server/features'>,
];
