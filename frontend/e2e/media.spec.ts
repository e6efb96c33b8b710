import { expect, test } from '@playwright/test';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import type { Person } from './support/accounts';
import {
  connections,
  createRoom,
  inboundVideoBytes,
  join,
  playingRemoteVideos,
  reportMediaWarnings,
  trackPeerConnections,
} from './support/meeting';

// Chromium pages with fake camera and microphone meet: two through the SFU (the room says
// "server only"), two straight to each other until a third person moves all to the SFU.

/** The other person's camera video: its size and playback time. */
async function remoteVideo(page: Page) {
  return page.evaluate(() => {
    const tile = Array.from(
      document.querySelectorAll<HTMLElement>('[data-testid="video-tile"][data-source="camera"]'),
    ).find((candidate) => !candidate.querySelector('figcaption')?.textContent.includes('(you)'));
    const video = tile?.querySelector('video');
    return video
      ? { width: video.videoWidth, height: video.videoHeight, time: video.currentTime }
      : null;
  });
}

async function personIn(browser: Browser, request: APIRequestContext, person: Person) {
  const context = await browser.newContext();
  await context.addInitScript(trackPeerConnections);
  const page = await context.newPage();
  reportMediaWarnings(page, person.firstName);
  await signedInPerson(page, request, person);
  return page;
}

test('two people see each other through the SFU, within the room camera limit', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const ana = await personIn(browser, request, newPerson('Ana', 'Wijaya'));
  const budi = await personIn(browser, request, newPerson('Budi', 'Santoso'));
  // The app's default quality is 720p; the room allows 360p, which the SFU enforces (a
  // camera over it would not be forwarded at all).
  const code = await createRoom(ana, request, {
    name: 'Media check',
    settings: { media_mode: 'sfu', max_video_resolution: '360p' },
  });
  for (const page of [ana, budi]) {
    await join(page, code);
    await expect(page.locator('[data-media-route]')).toHaveAttribute('data-media-route', 'sfu');
  }

  for (const page of [ana, budi]) {
    await expect
      .poll(async () => (await remoteVideo(page))?.width ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const first = await remoteVideo(page);
    expect(Math.max(first?.width ?? 0, first?.height ?? 0)).toBeLessThanOrEqual(640);
    expect(Math.min(first?.width ?? 0, first?.height ?? 0)).toBeLessThanOrEqual(360);
    const bytes = await inboundVideoBytes(page);
    await page.waitForTimeout(1500);
    const later = await remoteVideo(page);
    expect(later?.time ?? 0).toBeGreaterThan(first?.time ?? Infinity); // frames advance
    expect(await inboundVideoBytes(page)).toBeGreaterThan(bytes); // media keeps arriving
  }
  // The SFU's receiver reports reach the browser and echo its sender reports (LSR/DLSR):
  // Chromium measures the round trip of what it sends from them.
  for (const page of [ana, budi]) {
    await expect
      .poll(async () => (await connections(page)).flatMap((view) => view.sentRoundTrips), {
        timeout: 15_000,
      })
      .toContainEqual(expect.any(Number));
  }
  for (const page of [ana, budi]) {
    await page.context().close(); // fake cameras and connections stop loading the machine
  }
});

test('two people call directly, and a third moves everyone to the SFU', async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  const ana = await personIn(browser, request, newPerson('Ana', 'Kusuma'));
  const budi = await personIn(browser, request, newPerson('Budi', 'Hartono'));
  const citra = await personIn(browser, request, newPerson('Citra', 'Lestari'));
  const code = await createRoom(ana, request, { name: 'Direct check' }); // "Automatic"
  const route = (page: Page) => page.locator('[data-media-route]');

  for (const page of [ana, budi]) {
    await join(page, code);
  }
  for (const page of [ana, budi]) {
    await expect(route(page)).toHaveAttribute('data-media-route', 'direct');
    await expect(page.getByText('Direct connection')).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => playingRemoteVideos(page), { timeout: 30_000 }).toBe(1);
  }
  // The video comes straight from the other browser: the far end of the connection that
  // carries it is one of that browser's own candidates, and nothing comes from the SFU.
  const budiPorts = (await connections(budi)).flatMap((view) => view.localPorts);
  const anaReceiving = (await connections(ana)).filter((view) => view.videoBytes > 0);
  expect(anaReceiving).toHaveLength(1);
  expect(budiPorts).toContain(anaReceiving[0]?.remotePort);
  await ana.screenshot({ path: 'test-results/media/direct-call.png', animations: 'disabled' });
  // A screen shared in the direct call reaches the other side as a screen.
  await budi.getByRole('button', { name: 'Share screen' }).click();
  await expect.poll(() => playingRemoteVideos(ana, 'screen'), { timeout: 20_000 }).toBe(1);
  await budi.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(ana.locator('[data-testid="video-tile"][data-source="screen"]')).toHaveCount(0);

  await join(citra, code);
  for (const page of [ana, budi, citra]) {
    await expect(route(page)).toHaveAttribute('data-media-route', 'sfu', { timeout: 20_000 });
    await expect.poll(() => playingRemoteVideos(page), { timeout: 30_000 }).toBe(2);
    await expect(page.getByText('Direct connection')).toHaveCount(0);
  }
  // Ana's direct connection is closed once the SFU brings Budi, and the video she gets now
  // comes from a far end that is none of Budi's candidates.
  await expect
    .poll(async () => (await connections(ana)).filter((view) => view.state === 'closed').length, {
      timeout: 10_000,
    })
    .toBe(1);
  const live = (await connections(ana)).filter((view) => view.state === 'connected');
  expect(live).toHaveLength(1);
  expect(budiPorts).not.toContain(live[0]?.remotePort);
  const bytes = await inboundVideoBytes(ana);
  await ana.waitForTimeout(1500);
  expect(await inboundVideoBytes(ana)).toBeGreaterThan(bytes);
  for (const page of [ana, budi, citra]) {
    await page.context().close();
  }
});
