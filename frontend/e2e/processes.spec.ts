import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import type { Person } from './support/accounts';
import { expectPlayingVideos } from './support/media-diagnostics';
import { accessTokenOf, createRoom, join, reportMediaWarnings } from './support/meeting';
import { longestVideoStall, watchVideoStalls } from './support/video-stalls';

// Rapat as `rapat serve --processes 2` (scripts/e2e-processes-server.sh, the "processes"
// project in playwright.config.ts): the web app on the shared port, each room's signaling
// and media on the process that is its home (decision 61). Once the home is full, the
// room's next person is served by the other process and the two relay the media
// (decision 70). A planned stop of the home moves its people to the other one, and their
// meeting goes on.

const SHARED_PORT = Number(process.env.RAPAT_E2E_PROCESSES_PORT ?? 8775);

async function personIn(browser: Browser, request: APIRequestContext, person: Person) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  reportMediaWarnings(page, person.firstName);
  await signedInPerson(page, request, person);
  return page;
}

/** The port of the process that serves the room now (the API places it if need be). */
async function homePort(page: Page, request: APIRequestContext, code: string): Promise<number> {
  const response = await request.get(`/api/v1/rooms/${code}/signaling`, {
    headers: { Authorization: `Bearer ${await accessTokenOf(page)}` },
  });
  expect(response.status(), await response.text()).toBe(200);
  const { url } = (await response.json()) as { url: string | null };
  expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
  return Number(new URL(url ?? '').port);
}

async function openChat(page: Page) {
  const button = page.getByRole('button', { name: /^Chat/ });
  if ((await button.getAttribute('aria-pressed')) !== 'true') {
    await button.click();
  }
}

/** SIGTERM to the process serving `port`, as a rolling restart does (its supervisor
 * starts it again). */
function stopProcessOn(port: number) {
  const index = port - SHARED_PORT;
  // (by its own port too: other Rapat servers may run on this machine)
  const pattern = `rapat\\.serving\\.child --index ${index} --port ${port}( |$)`;
  const pid = execFileSync('pgrep', ['-f', pattern], {
    encoding: 'utf8',
  }).trim();
  expect(pid).toMatch(/^\d+$/);
  process.kill(Number(pid), 'SIGTERM');
}

test('rooms live on two processes, a full one relays to the other, and a stopped one hands its meeting over', async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const host = await personIn(browser, request, newPerson('Gita', 'Purnama'));
  const guest = await personIn(browser, request, newPerson('Hadi', 'Santoso'));
  // Media through the SFU of the room's process (two people would otherwise meet directly).
  const code = await createRoom(host, request, {
    name: 'On two processes',
    settings: { media_mode: 'sfu' },
  });
  await join(host, code);
  await join(guest, code);
  for (const [i, page] of [host, guest].entries()) {
    await expectPlayingVideos(page, 1, { name: `placed-${i}` });
  }
  const first = await homePort(host, request, code);
  expect([SHARED_PORT + 1, SHARED_PORT + 2]).toContain(first);

  await test.step('a second room goes to the other process', async () => {
    const other = await personIn(browser, request, newPerson('Indah', 'Lestari'));
    const second = await createRoom(other, request, { name: 'Next door' });
    await join(other, second);
    expect(await homePort(other, request, second)).not.toBe(first);
  });

  const third = await personIn(browser, request, newPerson('Joko', 'Wibowo'));
  await test.step('a third person, sent to the other process, meets both over the relay', async () => {
    // Two people fill the room's process here: once its record shows them, placement
    // sends the third elsewhere, and keeps sending them there.
    await expect.poll(() => homePort(third, request, code), { timeout: 20_000 }).not.toBe(first);
    await join(third, code);
    for (const [i, page] of [host, guest, third].entries()) {
      await expectPlayingVideos(page, 2, { name: `relayed-${i}` });
    }
  });

  await test.step('stopping the room’s process moves its people, media and all', async () => {
    const people = [host, guest, third];
    for (const page of people) await watchVideoStalls(page);
    stopProcessOn(first);
    await expect.poll(() => homePort(host, request, code), { timeout: 20_000 }).not.toBe(first);
    for (const [i, page] of [host, guest, third].entries()) {
      await expectPlayingVideos(page, 2, { name: `moved-${i}`, timeout: 30_000 });
      await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
    }
    await reportStalls(people, 'the first move');
    await openChat(host);
    await host.getByRole('textbox', { name: 'Message' }).fill('Still here after the move');
    await host.keyboard.press('Enter');
    await openChat(guest);
    await expect(
      guest.getByRole('log', { name: 'Chat messages' }).getByText('Still here after the move'),
    ).toBeVisible();
  });

  await test.step('the other process restarted too: everyone moves back, a rolling restart', async () => {
    const people = [host, guest, third];
    // the first process is back (its supervisor restarted it) and takes rooms again
    await expect.poll(() => healthy(first), { timeout: 30_000 }).toBe(true);
    const second = await homePort(host, request, code);
    for (const page of people) await watchVideoStalls(page);
    stopProcessOn(second);
    await expect.poll(() => homePort(host, request, code), { timeout: 20_000 }).toBe(first);
    for (const [i, page] of people.entries()) {
      await expectPlayingVideos(page, 2, { name: `back-${i}`, timeout: 30_000 });
    }
    await reportStalls(people, 'the second move');
  });
});

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

/** How long each person went without someone's video during a move (printed for
 * docs/benchmarks.md; the move's time is not a pass/fail figure of this test). */
async function reportStalls(people: Page[], move: string) {
  const stalls = await Promise.all(people.map(longestVideoStall));
  const figures = stalls.map((ms, i) => `${['host', 'guest', 'third'][i]} ${Math.round(ms)} ms`);
  const report = `longest video stall during ${move}: ${figures.join(', ')}`;
  test.info().annotations.push({ type: 'video-stall', description: report });
  console.warn(`[processes] ${report}`);
}
