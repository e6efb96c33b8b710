import type { UserChannelEvent } from '@/api';
import type { BackoffOptions } from './backoff';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';
import type { Clock, SocketFactory, SocketLike } from './signaling-client';
import { systemClock } from './signaling-client';

/** Close codes after which reconnecting with the same token cannot help. */
const UNAUTHORISED = 4401;
const PING_INTERVAL_MS = 20_000;

export type UserChannelStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface UserChannelOptions {
  /** The current access token; read on every (re)connect. */
  getToken: () => string | null;
  /** A fresh token after a 4401, or null when the session is over (then it stops). */
  renewToken?: () => Promise<string | null>;
  onEvent: (event: UserChannelEvent) => void;
  onStatus?: (status: UserChannelStatus) => void;
  createSocket?: SocketFactory;
  clock?: Clock;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Defaults to `/ws/user` on the page's own origin. */
  url?: (token: string) => string;
}

export function userChannelUrl(
  token: string,
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws/user?${new URLSearchParams({ token }).toString()}`;
}

function isEvent(value: unknown): value is UserChannelEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/**
 * The per-user live channel each signed-in tab keeps open: events for this user
 * (notifications, contacts' presence), a ping every 20 s, and reconnects with jittered
 * backoff until `close()`. No Preact here: the store feeds the UI.
 */
export class UserChannelClient {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private stopped = false;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private readonly clock: Clock;
  private readonly createSocket: SocketFactory;

  constructor(private readonly options: UserChannelOptions) {
    this.clock = options.clock ?? systemClock;
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
  }

  connect(): void {
    this.stopped = false;
    this.open();
  }

  close(): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'bye');
    this.options.onStatus?.('closed');
  }

  private open(): void {
    const token = this.options.getToken();
    if (!token) {
      this.close();
      return;
    }
    this.options.onStatus?.(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const url = (this.options.url ?? userChannelUrl)(token);
    const socket = this.createSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.options.onStatus?.('open');
      this.pingTimer = this.clock.setInterval(() => {
        socket.send(JSON.stringify({ type: 'ping' }));
      }, PING_INTERVAL_MS);
    };
    socket.onmessage = (message) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(message.data));
      } catch {
        return; // the server only sends JSON; anything else is ignored
      }
      if (isEvent(parsed)) this.options.onEvent(parsed);
    };
    socket.onerror = () => {
      // A close event follows; reconnecting is decided there.
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (!this.stopped) void this.retry(event.code);
    };
  }

  private async retry(code: number): Promise<void> {
    if (code === UNAUTHORISED) {
      let fresh: string | null;
      try {
        fresh = this.options.renewToken ? await this.options.renewToken() : null;
      } catch {
        fresh = this.options.getToken(); // offline: try again later with what we hold
      }
      if (!fresh || this.stopped) {
        this.close();
        return;
      }
    }
    const delay = backoffDelay(
      this.attempt,
      this.options.random,
      this.options.backoff ?? DEFAULT_BACKOFF,
    );
    this.attempt += 1;
    this.options.onStatus?.('reconnecting');
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private clearTimers(): void {
    if (this.pingTimer !== null) this.clock.clearInterval(this.pingTimer);
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.pingTimer = null;
    this.retryTimer = null;
  }
}
