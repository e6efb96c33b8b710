import { expect, test } from '@playwright/test';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import type { Person } from './support/accounts';

// Two Chromium pages with fake camera and microphone meet through the SFU: each plays the
// other's video and the bytes coming in over its peer connection keep growing.

/** Keeps every RTCPeerConnection the page creates reachable, to read its stats. */
function trackPeerConnections() {
  const Native = window.RTCPeerConnection;
  const seen: RTCPeerConnection[] = [];
  (window as unknown as { rapatPeers: RTCPeerConnection[] }).rapatPeers = seen;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      seen.push(this);
    }
  };
}

async function inboundVideoBytes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const peers = (window as unknown as { rapatPeers: RTCPeerConnection[] }).rapatPeers;
    let total = 0;
    for (const peer of peers) {
      (await peer.getStats()).forEach(
        (stat: { type: string; kind?: string; bytesReceived?: number }) => {
          if (stat.type === 'inbound-rtp' && stat.kind === 'video')
            total += stat.bytesReceived ?? 0;
        },
      );
    }
    return total;
  });
}

/** The other person's camera video: its size and playback time. */
async function remoteVideo(page: Page) {
  return page.evaluate(() => {
    const tile = Array.from(
      document.querySelectorAll<HTMLElement>('[data-testid="video-tile"][data-source="camera"]'),
    ).find((candidate) => !candidate.querySelector('figcaption')?.textContent.includes('(you)'));
    const video = tile?.querySelector('video');
    return video ? { width: video.videoWidth, time: video.currentTime } : null;
  });
}

async function personIn(browser: Browser, request: APIRequestContext, person: Person) {
  const context = await browser.newContext();
  await context.addInitScript(trackPeerConnections);
  const page = await context.newPage();
  await signedInPerson(page, request, person);
  return page;
}

test('two people see each other through the SFU', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const ana = await personIn(browser, request, newPerson('Ana', 'Wijaya'));
  const budi = await personIn(browser, request, newPerson('Budi', 'Santoso'));
  const token = await ana.evaluate(() => {
    const kept = JSON.parse(localStorage.getItem('rapat.session') ?? '{}') as {
      state?: { accessToken?: string };
    };
    return kept.state?.accessToken ?? '';
  });
  const created = await request.post('/api/v1/rooms', {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: 'Media check' },
  });
  expect(created.status()).toBe(201);
  const { code } = (await created.json()) as { code: string };

  for (const page of [ana, budi]) {
    await page.goto(`/r/${code}`);
    // Join once the fake camera runs: joining earlier joins with the camera off.
    await expect(page.getByLabel('Your camera preview')).toBeVisible();
    await page.getByRole('button', { name: 'Join now' }).click();
    await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
  }

  for (const page of [ana, budi]) {
    await expect
      .poll(async () => (await remoteVideo(page))?.width ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const first = await remoteVideo(page);
    const bytes = await inboundVideoBytes(page);
    await page.waitForTimeout(1500);
    const later = await remoteVideo(page);
    expect(later?.time ?? 0).toBeGreaterThan(first?.time ?? Infinity); // frames advance
    expect(await inboundVideoBytes(page)).toBeGreaterThan(bytes); // media keeps arriving
  }
});
