import type { AckData, ClientMessage, ErrorData, ServerEvent } from '@/api';
import { CloseCode, isApiError } from '@/api';
import type { BackoffOptions } from './backoff';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';
import type { SignalingParams } from './signaling-url';
import { signalingUrlAt } from './signaling-url';
import { tokenExpiresAt } from './token-expiry';

/** The part of the browser's WebSocket the client uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

/** Timers and the time of day; tests pass fakes. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => {
    globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
  setInterval: (run, ms) => globalThis.setInterval(run, ms),
  clearInterval: (handle) => {
    globalThis.clearInterval(handle as ReturnType<typeof setInterval>);
  },
};

/** Why the socket is closed for good. */
export type ClosedReason =
  | 'left' // leave() or close() on this side, or the server's 1000
  | 'unauthorized' // 4401: sign in again
  | 'forbidden' // 4403: not in the meeting, or removed
  | 'not-found' // 4404
  | 'ended' // 4410
  | 'replaced'; // 4412: the same person opened the meeting elsewhere

export type SignalingStatus =
  | { state: 'connecting' }
  | { state: 'open' }
  | { state: 'reconnecting'; attempt: number; delayMs: number; lastCode: number }
  | { state: 'closed'; reason: ClosedReason; code: number };

/** A request the server refused (`error`), or one that got no answer. */
export class SignalingError extends Error {
  readonly code: string;
  /** The `error`'s data as the server sent it (none for errors made here). */
  readonly data: ErrorData | null;

  constructor(code: string, message: string, data: ErrorData | null = null) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
    this.data = data;
  }
}

export interface SignalingClientOptions {
  roomId: string;
  userId: string;
  /** The current access token; read on every (re)connect. */
  getToken: () => string | null;
  /** A fresh access token (through the REST refresh), or null when the session is over. */
  renewToken?: () => Promise<string | null>;
  createSocket?: SocketFactory;
  clock?: Clock;
  random?: () => number;
  /**
   * Where the room's socket is, asked before every connect (`GET /rooms/{id}/signaling`): a
   * node's WebSocket URL, or null for `/ws` on the page's own origin. It rejects with the API's
   * error: 401, 403 and 404 end the meeting as 4401, 4403 and 4404 would, anything else (503
   * `no_node`, no network) is tried again with backoff. Without it: the page's origin, at once.
   */
  locate?: () => Promise<string | null>;
  /** The socket's URL at the located base; defaults to `signalingUrlAt`. */
  url?: (params: SignalingParams, base: string | null) => string;
  ackTimeoutMs?: number;
  pingIntervalMs?: number;
  /** Renew the token this long before it expires. */
  refreshLeadMs?: number;
  backoff?: BackoffOptions;
}

const OPEN = 1;
/** An application close code the server does not use: "coming back at once". */
const RECONNECT_CODE = 4000;
const LEAVE_WAIT_MS = 2000;
/** A token this close to expiry is renewed before reconnecting with it. */
const RENEW_MARGIN_MS = 5000;

/** Sockets misdirected (4421) in a row that are sent to the new node at once; then backoff. */
const MAX_IMMEDIATE_REDIRECTS = 3;

const CLOSED_REASON_BY_CODE: Partial<Record<number, ClosedReason>> = {
  [CloseCode.Normal]: 'left',
  [CloseCode.Unauthorized]: 'unauthorized',
  [CloseCode.Forbidden]: 'forbidden',
  [CloseCode.RoomNotFound]: 'not-found',
  [CloseCode.RoomEnded]: 'ended',
  [CloseCode.Replaced]: 'replaced',
};

/**
 * The close code a failed `locate` counts as: 4401, 4403 or 4404 for the API's 401, 403 and 404
 * (the session is over, not allowed, no such room), otherwise 1013, try again later.
 */
export function closeCodeOfLocateFailure(error: unknown): number {
  if (isApiError(error) && [401, 403, 404].includes(error.status)) {
    return 4000 + error.status;
  }
  return CloseCode.TryAgainLater;
}

interface Pending {
  resolve: (data: AckData) => void;
  reject: (error: SignalingError) => void;
  timer: unknown;
}

type EventListener = (event: ServerEvent) => void;
type StatusListener = (status: SignalingStatus) => void;

/**
 * One meeting's signaling socket: typed requests answered by `ack`/`error`, server events
 * for subscribers, a `ping` every 10 s, reconnecting with backoff after abnormal closes,
 * and the access token renewed in-band before it expires. Every connect first asks where
 * the room is served (`locate`), and a socket the server sends on (4421) follows at once.
 */
export class SignalingClient {
  private readonly options: Required<
    Omit<SignalingClientOptions, 'renewToken' | 'createSocket' | 'url' | 'locate'>
  > &
    Pick<SignalingClientOptions, 'renewToken' | 'locate'>;
  private readonly createSocket: SocketFactory;
  private readonly url: NonNullable<SignalingClientOptions['url']>;
  private socket: SocketLike | null = null;
  private currentStatus: SignalingStatus = { state: 'connecting' };
  private readonly pending = new Map<string, Pending>();
  private readonly eventListeners = new Set<EventListener>();
  private readonly statusListeners = new Set<StatusListener>();
  private nextId = 1;
  private attempt = 0;
  /** Sockets closed with 4421 in a row. */
  private redirects = 0;
  /** Counts `open()` calls, so a `locate` answer that arrives after a newer one is ignored. */
  private opening = 0;
  private pingTimer: unknown = null;
  private retryTimer: unknown = null;
  private refreshTimer: unknown = null;
  private stopped = false;

  constructor(options: SignalingClientOptions) {
    this.options = {
      clock: systemClock,
      random: Math.random,
      ackTimeoutMs: 10_000,
      pingIntervalMs: 10_000,
      refreshLeadMs: 60_000,
      backoff: DEFAULT_BACKOFF,
      ...options,
    };
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.url = options.url ?? ((params, base) => signalingUrlAt(base, params));
  }

  get status(): SignalingStatus {
    return this.currentStatus;
  }

  /** Opens the socket. Call once; reconnecting is automatic. */
  connect(): void {
    this.stopped = false;
    this.redirects = 0;
    this.setStatus({ state: 'connecting' });
    this.open();
  }

  /** Every server event except answers to requests; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Sends a message with a fresh id; resolves with its `ack` data, rejects on its `error`. */
  request(message: ClientMessage): Promise<AckData> {
    const socket = this.socket;
    if (socket?.readyState !== OPEN || this.currentStatus.state !== 'open') {
      return Promise.reject(new SignalingError('not_connected', 'Not connected to the meeting.'));
    }
    const id = String(this.nextId++);
    return new Promise<AckData>((resolve, reject) => {
      const timer = this.options.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(new SignalingError('timeout', 'The server did not answer in time.'));
      }, this.options.ackTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ ...message, id }));
    });
  }

  /** Leaves the meeting for good (`leave_room`) and closes the socket. */
  async leave(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      const stop = this.onStatus((status) => {
        if (status.state === 'closed') {
          stop();
          resolve();
        }
      });
    });
    if (this.currentStatus.state === 'open') {
      this.request({ type: 'leave_room' }).catch(() => undefined);
      const timer = this.options.clock.setTimeout(() => {
        this.close();
      }, LEAVE_WAIT_MS);
      await closed;
      this.options.clock.clearTimeout(timer);
      return;
    }
    this.close();
  }

  /** Drops the socket and reconnects as after a network failure (the media connection died). */
  reconnect(): void {
    const socket = this.socket;
    if (socket && this.currentStatus.state === 'open') {
      socket.close(RECONNECT_CODE);
      this.closedBy(RECONNECT_CODE);
    }
  }

  /** Closes the socket without leaving: the seat is kept for the grace period. */
  close(): void {
    if (this.currentStatus.state === 'closed') {
      return;
    }
    this.finish('left', CloseCode.Normal);
    this.socket?.close(CloseCode.Normal);
  }

  /** Reconnecting after a long gap (a laptop asleep): renew an expired token first. */
  private async reopen(): Promise<void> {
    const { renewToken, getToken, clock } = this.options;
    const token = getToken();
    const expiresAt = token ? tokenExpiresAt(token) : null;
    if (renewToken && expiresAt !== null && expiresAt <= clock.now() + RENEW_MARGIN_MS) {
      try {
        await renewToken();
      } catch {
        // Offline still: try with the old token; the server answers 4401 if it is over.
      }
    }
    if (!this.stopped) {
      this.open();
    }
  }

  /** Asks where the room's socket is (with `locate`), then opens it there. */
  private open(): void {
    const { locate, getToken } = this.options;
    if (!getToken()) {
      this.finish('unauthorized', CloseCode.Unauthorized);
      return;
    }
    if (!locate) {
      this.openAt(null);
      return;
    }
    const opening = ++this.opening;
    const current = () => opening === this.opening && !this.stopped;
    void locate().then(
      (base) => {
        if (current()) {
          this.openAt(base);
        }
      },
      (error: unknown) => {
        if (current()) {
          this.locateFailed(error);
        }
      },
    );
  }

  private openAt(base: string | null): void {
    const { roomId, userId, getToken } = this.options;
    const token = getToken();
    if (!token) {
      this.finish('unauthorized', CloseCode.Unauthorized);
      return;
    }
    const socket = this.createSocket(this.url({ roomId, userId, token }, base));
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket === socket) {
        this.opened(token);
      }
    };
    socket.onmessage = (event) => {
      if (this.socket === socket && typeof event.data === 'string') {
        this.received(event.data);
      }
    };
    socket.onclose = (event) => {
      if (this.socket === socket) {
        this.closedBy(event.code);
      }
    };
    socket.onerror = () => undefined;
  }

  private opened(token: string): void {
    this.setStatus({ state: 'open' });
    const { clock, pingIntervalMs } = this.options;
    this.pingTimer = clock.setInterval(() => {
      this.send({ type: 'ping' });
    }, pingIntervalMs);
    this.scheduleRefresh(tokenExpiresAt(token));
  }

  private received(text: string): void {
    // The server took this socket (it speaks first, with room_state): a later 4421 is a
    // move, not a loop, and a later drop starts its backoff afresh. Not on open: a server
    // that accepts, then refuses (1013 while Redis is down), must still be backed off from.
    this.redirects = 0;
    this.attempt = 0;
    let event: ServerEvent;
    try {
      event = JSON.parse(text) as ServerEvent;
    } catch {
      return;
    }
    if (event.type === 'ack' || event.type === 'error' || event.type === 'pong') {
      const pending = event.id === undefined ? undefined : this.pending.get(event.id);
      if (pending && event.id !== undefined) {
        this.pending.delete(event.id);
        this.options.clock.clearTimeout(pending.timer);
        if (event.type === 'error') {
          const data: ErrorData = event.data;
          pending.reject(new SignalingError(data.code, data.message, data));
        } else {
          pending.resolve(event.type === 'ack' ? event.data : {});
        }
        return;
      }
      if (event.type !== 'error') {
        return;
      }
    }
    for (const listener of [...this.eventListeners]) {
      listener(event);
    }
  }

  private closedBy(code: number): void {
    this.stopTimers();
    this.rejectPending();
    this.socket = null;
    if (this.stopped) {
      return;
    }
    const reason = CLOSED_REASON_BY_CODE[code];
    // Final codes, the server's 1000 (after leave_room) and 4412 (opened elsewhere) end it.
    if (reason) {
      this.finish(reason, code);
      return;
    }
    if (code === CloseCode.Misdirected) {
      this.misdirected();
      return;
    }
    this.redirects = 0;
    this.retryLater(code, this.attempt);
  }

  /**
   * 4421: the room moved to another node (its node stopped or died). Ask where and go there
   * at once, as part of connecting; a room that keeps moving is retried with backoff instead.
   */
  private misdirected(): void {
    this.redirects += 1;
    const beyond = this.redirects - MAX_IMMEDIATE_REDIRECTS;
    if (beyond <= 0) {
      this.setStatus({ state: 'connecting' });
      this.open();
      return;
    }
    // Counted by redirects: every misdirected socket opened first, which resets `attempt`.
    this.retryLater(CloseCode.Misdirected, beyond - 1);
  }

  /** `locate` failed: the API's 401, 403 and 404 end the meeting, anything else is retried. */
  private locateFailed(error: unknown): void {
    const code = closeCodeOfLocateFailure(error);
    const reason = CLOSED_REASON_BY_CODE[code];
    if (reason) {
      this.finish(reason, code);
      return;
    }
    this.retryLater(code, this.attempt);
  }

  /** Reconnects after the backoff wait for `step` (0 for the first). */
  private retryLater(lastCode: number, step: number): void {
    const delayMs = backoffDelay(step, this.options.random, this.options.backoff);
    this.attempt += 1;
    this.setStatus({ state: 'reconnecting', attempt: this.attempt, delayMs, lastCode });
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      void this.reopen();
    }, delayMs);
  }

  private scheduleRefresh(expiresAt: number | null): void {
    const { renewToken, clock, refreshLeadMs } = this.options;
    if (!renewToken || expiresAt === null) {
      return;
    }
    clock.clearTimeout(this.refreshTimer);
    const wait = Math.max(1000, expiresAt - refreshLeadMs - clock.now());
    this.refreshTimer = clock.setTimeout(() => {
      void this.refresh(renewToken, expiresAt);
    }, wait);
  }

  private async refresh(
    renewToken: () => Promise<string | null>,
    oldExpiry: number,
  ): Promise<void> {
    const { clock } = this.options;
    try {
      const token = await renewToken();
      if (!token || this.currentStatus.state !== 'open') {
        return;
      }
      const ack = await this.request({ type: 'refresh_token', data: { token } });
      const expiresAt =
        ack.expires_in === undefined ? tokenExpiresAt(token) : clock.now() + ack.expires_in * 1000;
      this.scheduleRefresh(expiresAt);
    } catch {
      // Try again shortly while the old token still holds; past it the server closes (4401).
      if (this.currentStatus.state === 'open' && clock.now() < oldExpiry) {
        this.refreshTimer = clock.setTimeout(() => {
          void this.refresh(renewToken, oldExpiry);
        }, 5000);
      }
    }
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  private finish(reason: ClosedReason, code: number): void {
    this.stopped = true;
    this.stopTimers();
    this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.rejectPending();
    this.setStatus({ state: 'closed', reason, code });
  }

  private stopTimers(): void {
    const { clock } = this.options;
    clock.clearInterval(this.pingTimer);
    clock.clearTimeout(this.refreshTimer);
    this.pingTimer = null;
    this.refreshTimer = null;
  }

  private rejectPending(): void {
    for (const [id, pending] of this.pending) {
      this.options.clock.clearTimeout(pending.timer);
      pending.reject(new SignalingError('disconnected', 'The connection closed.'));
      this.pending.delete(id);
    }
  }

  private setStatus(status: SignalingStatus): void {
    this.currentStatus = status;
    for (const listener of [...this.statusListeners]) {
      listener(status);
    }
  }
}
