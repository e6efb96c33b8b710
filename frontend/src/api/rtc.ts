import type { ApiClient } from './client';
import type { IceServersResponse } from './schema';

/** `/rtc`: what the meeting's peer connection needs from the server. */
export function rtcEndpoints(client: ApiClient) {
  return {
    iceServers: () => client.get<IceServersResponse>('/rtc/ice-servers'),
  };
}

export type RtcEndpoints = ReturnType<typeof rtcEndpoints>;
