export { API_BASE_URL, buildUrl, createApiClient } from './client';
export type {
  ApiClient,
  ApiClientOptions,
  HttpMethod,
  RequestOptions,
  SessionHooks,
} from './client';
export { authEndpoints, devEndpoints, rapatApi, userEndpoints } from './accounts';
export type { AuthEndpoints, DevEndpoints, RapatApi, UserEndpoints, UserSearch } from './accounts';
export { roomEndpoints } from './rooms';
export type { Invitation, RoomEndpoints } from './rooms';
export type * from './schema';
export { ApiError, NETWORK_ERROR, apiErrorFromBody, errorMessage, isApiError } from './errors';
export type { FieldProblem } from './errors';
export type * from './signaling-types';
export { CloseCode, FINAL_CLOSE_CODES, SFU_PEER } from './signaling-types';
export { notificationEndpoints } from './notifications';
export type { NotificationEndpoints, NotificationType, UserChannelEvent } from './notifications';
export { rtcEndpoints } from './rtc';
export type { RtcEndpoints } from './rtc';
export { downloadUrlOf, recordingEndpoints, serverEndpoints } from './recordings';
export type { RecordingEndpoints, ServerEndpoints } from './recordings';
