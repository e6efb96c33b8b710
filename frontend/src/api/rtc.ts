import type { ApiClient } from './client';

/** One entry of `GET /rtc/ice-servers` (docs/api.md), shaped like the browser's RTCIceServer. */
export interface IceServerEntry {
  urls: string[];
  /** TURN only: `<expiry unix time>:<user id>`. */
  username: string | null;
  /** TURN only: the ephemeral password. */
  credential: string | null;
}

export interface IceServersResponse {
  ice_servers: IceServerEntry[];
  /** Seconds the TURN credential stays valid from the response. */
  ttl: number;
  expires_at: number | null;
}

/** `/rtc`: what the meeting's peer connection needs from the server. */
export function rtcEndpoints(client: ApiClient) {
  return {
    iceServers: () => client.get<IceServersResponse>('/rtc/ice-servers'),
  };
}

export type RtcEndpoints = ReturnType<typeof rtcEndpoints>;
