import { expect, test } from '@playwright/test';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import type { Person } from './support/accounts';
import { expectPlayingVideos } from './support/media-diagnostics';
import {
  createRoom,
  expectCameraPreview,
  join,
  playingRemoteVideos,
  reportMediaWarnings,
  trackPeerConnections,
} from './support/meeting';
import { expectNoHorizontalOverflow } from './support/screenshots';

// Three people in three browser contexts meet through the real server and its SFU, with
// Chromium's fake camera, microphone and screen (flags in playwright.config.ts).

const SHOTS = 'test-results/meeting';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function personIn(browser: Browser, request: APIRequestContext, person: Person) {
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.addInitScript(trackPeerConnections); // for the stats of a failed wait
  const page = await context.newPage();
  reportMediaWarnings(page, person.firstName);
  await signedInPerson(page, request, person);
  return page;
}

/** Toasts leave by themselves (5 s); clicking them races their exit. */
async function settle(page: Page) {
  await expect(page.getByRole('button', { name: 'Dismiss notification' })).toHaveCount(0, {
    timeout: 10_000,
  });
  await page.mouse.move(0, 0);
}

async function shot(page: Page, name: string) {
  await settle(page);
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(300);
    await expectNoHorizontalOverflow(page, `${label}-${name}`);
    await page.screenshot({ path: `${SHOTS}/${label}-${name}.png`, animations: 'disabled' });
  }
  await page.setViewportSize(DESKTOP);
}

async function closePanels(page: Page) {
  for (const name of ['Chat', 'People']) {
    const button = page.getByRole('button', { name: new RegExp(`^${name}`) });
    if ((await button.getAttribute('aria-pressed')) === 'true') {
      await button.click();
    }
  }
}

function tileOf(page: Page, name: string) {
  return page.locator('[data-testid="video-tile"][data-source="camera"]').filter({
    hasText: name,
  });
}

async function openPanel(page: Page, name: 'Chat' | 'People') {
  const button = page.getByRole('button', { name: new RegExp(`^${name}`) });
  if ((await button.getAttribute('aria-pressed')) !== 'true') {
    await button.click();
  }
}

test('three people meet: video, mute, chat, screen share, removal and leaving', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const dewi = newPerson('Dewi', 'Anggraini');
  const eko = newPerson('Eko', 'Prasetyo');
  const fitri = newPerson('Fitri', 'Handayani');
  const host = await personIn(browser, request, dewi);
  const code = await createRoom(host, request, { name: 'Design review' });

  await test.step('pre-join: preview, level meter and devices', async () => {
    await host.goto(`/r/${code}`);
    await expectCameraPreview(host, { playing: true });
    await expect(host.getByRole('meter', { name: 'Microphone level' })).toBeVisible();
    await shot(host, 'pre-join');
    await host.getByRole('button', { name: 'Join now' }).click();
    await expect(host.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
  });

  const guest = await personIn(browser, request, eko);
  const third = await personIn(browser, request, fitri);
  await join(guest, code);
  await join(third, code);
  const everyone = [host, guest, third];

  await test.step('each sees two remote videos playing', async () => {
    for (const [i, page] of everyone.entries()) {
      await expectPlayingVideos(page, 2, { name: `three-${i}` });
    }
    await host.getByRole('button', { name: 'Grid' }).click();
    await closePanels(host);
    await shot(host, 'grid');
  });

  await test.step('muting shows on the others', async () => {
    await guest.getByRole('button', { name: 'Mute', exact: true }).click();
    for (const page of [host, third]) {
      await expect(
        tileOf(page, 'Eko Prasetyo').getByRole('img', { name: 'Microphone off' }),
      ).toBeVisible();
    }
  });

  await test.step('chat arrives', async () => {
    await openPanel(guest, 'People');
    await openPanel(third, 'Chat');
    await third.getByRole('textbox', { name: 'Message' }).fill('Slides are in the drive');
    await third.keyboard.press('Enter');
    await openPanel(host, 'Chat');
    await expect(
      host.getByRole('log', { name: 'Chat messages' }).getByText('Slides are in the drive'),
    ).toBeVisible();
    await expect(guest.getByTestId('unread-badge')).toHaveText('1 unread');
    await openPanel(guest, 'Chat');
    await expect(
      guest.getByRole('log', { name: 'Chat messages' }).getByText('Slides are in the drive'),
    ).toBeVisible();
    await shot(host, 'chat');
  });

  await test.step('speaker view', async () => {
    await closePanels(host);
    await host.getByRole('button', { name: 'Speaker' }).click();
    await expect(host.getByTestId('video-stage')).toHaveAttribute('data-layout', 'speaker');
    await shot(host, 'speaker');
    await host.getByRole('button', { name: 'Grid' }).click();
  });

  await test.step('a shared screen becomes the large view for the others', async () => {
    await guest.getByRole('button', { name: 'Share screen' }).click();
    await expect(guest.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
    for (const page of [host, third]) {
      const main = page.getByTestId('main-view');
      await expect(main.getByTestId('video-tile')).toHaveAttribute('data-source', 'screen', {
        timeout: 20_000,
      });
      await expectPlayingVideos(page, 1, { name: 'screen', source: 'screen', timeout: 20_000 });
    }
    await shot(host, 'screen-share');
    await guest.getByRole('button', { name: 'Stop sharing' }).click();
    await expect(host.getByTestId('video-stage')).toHaveAttribute('data-layout', 'grid');
  });

  await test.step('the host removes a participant after confirming', async () => {
    await openPanel(host, 'People');
    await host.getByRole('button', { name: 'Remove Fitri Handayani' }).click();
    await host
      .getByRole('dialog', { name: 'Remove Fitri Handayani?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await expect(
      third.getByRole('heading', { name: 'You were removed from the meeting' }),
    ).toBeVisible();
    for (const page of [host, guest]) {
      await expect(tileOf(page, 'Fitri Handayani')).toHaveCount(0);
      await expectPlayingVideos(page, 1, { name: 'after-removal', timeout: 20_000 });
    }
  });

  await test.step('leaving updates everyone', async () => {
    await guest.getByRole('button', { name: 'Leave meeting' }).click();
    await expect(guest.getByRole('heading', { name: 'You left the meeting' })).toBeVisible();
    await expect(tileOf(host, 'Eko Prasetyo')).toHaveCount(0);
    await expect(host.getByText('Eko Prasetyo left')).toBeVisible();
    await expect.poll(() => playingRemoteVideos(host)).toBe(0);
  });

  for (const page of everyone) {
    await page.context().close();
  }
});

test('joining with the camera off, then turning it on, reaches the other side', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const host = await personIn(browser, request, newPerson('Hana', 'Wijaya'));
  const code = await createRoom(host, request, { name: 'Design review' });
  await join(host, code);
  const late = await personIn(browser, request, newPerson('Irfan', 'Hakim'));
  await late.goto(`/r/${code}`);
  await late.getByRole('button', { name: 'Turn off camera' }).click();
  await expect(late.getByText('Camera is off')).toBeVisible();
  await late.getByRole('button', { name: 'Join now' }).click();
  await expect(late.getByRole('button', { name: 'Start camera' })).toBeVisible();
  await expectPlayingVideos(late, 1, { name: 'late-sees-host' });
  await expect(tileOf(host, 'Irfan Hakim').locator('video')).toHaveCount(0);

  await late.getByRole('button', { name: 'Start camera' }).click();
  await expect(late.getByRole('button', { name: 'Stop camera' })).toBeVisible();
  await expectPlayingVideos(host, 1, { name: 'host-sees-late' });

  await late.getByRole('button', { name: 'Stop camera' }).click();
  await expect(tileOf(host, 'Irfan Hakim').locator('video')).toHaveCount(0);
  for (const page of [host, late]) {
    await page.context().close();
  }
});
