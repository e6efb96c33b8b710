import type { ClientMessage, ServerEvent } from '@/api';
import type { SocketLike } from '@/rtc';

/** A WebSocket stand-in: records what was sent, and lets a test open, answer and close it. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: ClientMessage[] = [];
  closedWith: number | null = null;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  receive(event: ServerEvent): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(event) }));
  }

  /** The server closes the socket with `code`. */
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code }));
  }

  lastSent(): ClientMessage {
    const message = this.sent.at(-1);
    if (!message) {
      throw new Error('nothing was sent');
    }
    return message;
  }
}

/** A socket factory that keeps every socket it made. */
export function fakeSockets() {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    createSocket: (url: string) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    latest: (): FakeSocket => {
      const socket = sockets.at(-1);
      if (!socket) {
        throw new Error('no socket was opened');
      }
      return socket;
    },
  };
}

/** An unsigned JWT whose `exp` is `expiresAtMs`. */
export function fakeJwt(expiresAtMs: number): string {
  const payload = btoa(JSON.stringify({ sub: 'u1', exp: Math.floor(expiresAtMs / 1000) }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `eyJhbGciOiJIUzI1NiJ9.${payload}.sig`;
}
