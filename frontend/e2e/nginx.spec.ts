import { expect, test } from '@playwright/test';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import type { Person } from './support/accounts';
import { expectPlayingVideos } from './support/media-diagnostics';
import {
  accessTokenOf,
  createRoom,
  join,
  reportMediaWarnings,
  trackPeerConnections,
} from './support/meeting';

// A meeting over https:// through the shipped nginx site (deploy/nginx/rapat.conf) with a
// self-signed certificate, in front of `rapat serve --processes 2`
// (scripts/e2e-nginx-server.sh, the "nginx" project in playwright.config.ts). The page,
// the API and the meeting socket (wss://<host>/node/<i>/ws, decision 63) all go through
// nginx; the media goes straight to the room's process, as it does in production.

const NGINX_ORIGIN = `https://127.0.0.1:${process.env.RAPAT_E2E_NGINX_PORT ?? 8785}`;
const NODE_SOCKET = new RegExp(`^wss://127\\.0\\.0\\.1:${new URL(NGINX_ORIGIN).port}/node/[12]/ws`);

interface Attendee {
  page: Page;
  /** The WebSocket URLs the page opened, query strings left out (they hold tokens). */
  sockets: string[];
}

async function attendee(
  browser: Browser,
  request: APIRequestContext,
  person: Person,
): Promise<Attendee> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
  });
  await context.addInitScript(trackPeerConnections); // for the stats of a failed wait
  const page = await context.newPage();
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url().split('?')[0] ?? ''));
  reportMediaWarnings(page, person.firstName);
  await signedInPerson(page, request, person);
  return { page, sockets };
}

async function say(page: Page, text: string) {
  const button = page.getByRole('button', { name: /^Chat/ });
  if ((await button.getAttribute('aria-pressed')) !== 'true') {
    await button.click();
  }
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.keyboard.press('Enter');
}

test('two people meet over https through nginx: video both ways and chat', async ({
  browser,
  request,
}) => {
  // About 20 s on an idle 2-core machine; sign-ins and cameras slow down under load.
  test.setTimeout(90_000);
  const home = await request.get('/');
  expect(home.status()).toBe(200);
  expect(home.headers()['strict-transport-security']).toBeTruthy(); // nginx's own header

  const host = await attendee(browser, request, newPerson('Wulan', 'Sari'));
  const guest = await attendee(browser, request, newPerson('Yoga', 'Pratama'));
  // Media through the SFU of the room's process (two people would otherwise meet directly).
  const code = await createRoom(host.page, request, {
    name: 'Behind nginx',
    settings: { media_mode: 'sfu' },
  });
  await join(host.page, code);
  await join(guest.page, code);
  for (const [i, { page }] of [host, guest].entries()) {
    expect(page.url().startsWith(`${NGINX_ORIGIN}/r/`)).toBe(true);
    // Chromium speaks HTTP/2 to the site (its WebSockets still go over HTTP/1.1).
    const protocol = await page.evaluate(
      () =>
        (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
          .nextHopProtocol,
    );
    expect(protocol).toBe('h2');
    await expectPlayingVideos(page, 1, { name: `nginx-${i}` });
  }
  // Both met on the room's home process, through nginx's path for it.
  const signaling = await request.get(`/api/v1/rooms/${code}/signaling`, {
    headers: { Authorization: `Bearer ${await accessTokenOf(host.page)}` },
  });
  expect(signaling.status(), await signaling.text()).toBe(200);
  const { url } = (await signaling.json()) as { url: string };
  expect(url).toMatch(NODE_SOCKET);
  for (const { sockets } of [host, guest]) {
    expect(sockets).toContain(url);
  }

  await say(host.page, 'Halo lewat nginx');
  await expect(
    guest.page.getByRole('log', { name: 'Chat messages' }).getByText('Halo lewat nginx'),
  ).toBeVisible();
  await say(guest.page, 'Terdengar jelas');
  await expect(
    host.page.getByRole('log', { name: 'Chat messages' }).getByText('Terdengar jelas'),
  ).toBeVisible();
});
