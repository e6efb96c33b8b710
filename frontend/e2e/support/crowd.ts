import { expect } from '@playwright/test';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { PASSWORD, newPerson, registerViaApi, verifyViaApi } from './accounts';

// People in a meeting without a browser of their own: each is a real account that joined
// through the API and holds a signaling socket (no media: their tiles show initials).
// All their sockets live in one page, which keeps them alive with `ping`.

const NAMES = [
  ['Bima', 'Sakti'],
  ['Citra', 'Kirana'],
  ['Dimas', 'Anggara'],
  ['Eka', 'Putri'],
  ['Fajar', 'Nugroho'],
  ['Gita', 'Savitri'],
  ['Hadi', 'Pranoto'],
  ['Indah', 'Permata'],
] as const;

interface Seat {
  userId: string;
  token: string;
}

async function seat(request: APIRequestContext, code: string, index: number): Promise<Seat> {
  const [first, last] = NAMES[index % NAMES.length] ?? NAMES[0];
  const person = newPerson(first, last);
  await registerViaApi(request, person);
  await verifyViaApi(request, person.email);
  const login = await request.post('/api/v1/auth/login', {
    data: { email: person.email, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const tokens = (await login.json()) as { access_token: string; user: { id: string } };
  const joined = await request.post(`/api/v1/rooms/${code}/join`, {
    headers: { Authorization: `Bearer ${tokens.access_token}` },
    data: {},
  });
  expect(joined.status(), await joined.text()).toBe(200);
  return { userId: tokens.user.id, token: tokens.access_token };
}

export class Crowd {
  private constructor(private readonly page: Page) {}

  /** A page for the crowd's sockets, on the app's origin. */
  static async open(browser: Browser): Promise<Crowd> {
    const page = await browser.newPage();
    await page.goto('/login');
    return new Crowd(page);
  }

  /** `count` more people join the meeting `code`, camera off and muted. */
  async add(request: APIRequestContext, code: string, count: number): Promise<void> {
    const seats: Seat[] = [];
    for (let i = 0; i < count; i += 1) {
      seats.push(await seat(request, code, i + (await this.size())));
    }
    await this.page.evaluate(
      async ([room, wanted]) => {
        const held = ((window as unknown as { crowd?: WebSocket[] }).crowd ??= []);
        await Promise.all(
          wanted.map(
            ({ userId, token }) =>
              new Promise<void>((resolve, reject) => {
                const url = `ws://${location.host}/ws?roomId=${room}&userId=${userId}&token=${token}`;
                const socket = new WebSocket(url);
                socket.onmessage = (message) => {
                  const event = JSON.parse(String(message.data)) as { type: string };
                  if (event.type === 'room_state') {
                    socket.send(JSON.stringify({ type: 'video', data: { enabled: false } }));
                    socket.send(JSON.stringify({ type: 'mute', data: { muted: true } }));
                    resolve();
                  }
                };
                socket.onclose = (closed) => {
                  reject(new Error(`crowd socket closed: ${closed.code}`));
                };
                setInterval(() => {
                  if (socket.readyState === WebSocket.OPEN) {
                    socket.send(JSON.stringify({ type: 'ping' }));
                  }
                }, 5000);
                held.push(socket);
              }),
          ),
        );
      },
      [code, seats] as const,
    );
  }

  size(): Promise<number> {
    return this.page.evaluate(
      () => (window as unknown as { crowd?: WebSocket[] }).crowd?.length ?? 0,
    );
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
