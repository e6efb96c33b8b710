// STUN/TURN servers for the meeting's peer connection, from GET /api/v1/rtc/ice-servers.
// TURN credentials are personal and expire, so they are kept per person and fetched again
// well before they run out; when the server cannot be asked, host candidates still work.
import type { IceServersResponse } from '@/api';

/** The response as `RTCConfiguration.iceServers`: no username/credential keys for STUN. */
export function toRtcIceServers(response: IceServersResponse): RTCIceServer[] {
  return response.ice_servers.map(({ urls, username, credential }) => ({
    urls,
    ...(username !== null ? { username } : {}),
    ...(credential !== null ? { credential } : {}),
  }));
}

/**
 * Until when (ms, local clock) a response may be used again: its ttl counted from when it
 * arrived (the server's clock may differ), less a quarter of it and at least a minute, so a
 * connection set up from it still has time before the TURN server refuses the credential.
 */
export function freshUntil(response: IceServersResponse, receivedAtMs: number): number {
  const ttlMs = response.ttl * 1000;
  return receivedAtMs + ttlMs - Math.max(60_000, ttlMs / 4);
}

export interface IceServerSourceOptions {
  load: () => Promise<IceServersResponse>;
  now?: () => number;
}

interface Cached {
  owner: string;
  servers: RTCIceServer[];
  freshUntil: number;
}

/** Fetches the list once per person and credential lifetime; concurrent asks share a fetch. */
export class IceServerSource {
  private cached: Cached | null = null;
  private pending: { owner: string; promise: Promise<RTCIceServer[]> } | null = null;
  /** Whose last fetch failed (and has not been tried again yet). */
  private failed: string | null = null;
  private readonly load: () => Promise<IceServersResponse>;
  private readonly now: () => number;

  constructor(options: IceServerSourceOptions) {
    this.load = options.load;
    this.now = options.now ?? Date.now;
  }

  /**
   * What is known for `owner` without waiting: the fresh list, an empty one when the last
   * fetch failed, or null when a fetch is under way or none was made.
   */
  known(owner: string): RTCIceServer[] | null {
    const cached = this.cached;
    if (cached?.owner === owner && this.now() < cached.freshUntil) {
      return cached.servers;
    }
    return this.failed === owner && this.pending?.owner !== owner ? [] : null;
  }

  /** The servers for `owner` (the signed-in user id); an empty list if they cannot be had. */
  get(owner: string): Promise<RTCIceServer[]> {
    const cached = this.cached;
    if (cached?.owner === owner && this.now() < cached.freshUntil) {
      return Promise.resolve(cached.servers);
    }
    if (this.pending?.owner === owner) {
      return this.pending.promise;
    }
    const pending = { owner, promise: this.fetch(owner) };
    this.pending = pending;
    void pending.promise.finally(() => {
      if (this.pending === pending) {
        this.pending = null;
      }
    });
    return pending.promise;
  }

  /** Drops what was fetched, e.g. when the person signs out. */
  clear(): void {
    this.cached = null;
    this.pending = null;
    this.failed = null;
  }

  private async fetch(owner: string): Promise<RTCIceServer[]> {
    try {
      const response = await this.load();
      const servers = toRtcIceServers(response);
      this.cached = { owner, servers, freshUntil: freshUntil(response, this.now()) };
      this.failed = null;
      return servers;
    } catch {
      this.failed = owner; // not cached: the next get() asks again
      return [];
    }
  }
}
