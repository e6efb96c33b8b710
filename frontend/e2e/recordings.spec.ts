import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import { createRoom, join } from './support/meeting';
import { VIEWPORTS, expectNoHorizontalOverflow, screenshot } from './support/screenshots';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

/** Full-page screenshots at a phone's and a laptop's size; ends at the laptop's. */
async function phoneAndLaptop(page: Page, name: string) {
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['laptop', LAPTOP],
  ] as const) {
    await page.setViewportSize(viewport);
    await expectNoHorizontalOverflow(page, `${size}-${name}`);
    await screenshot(page, `${size}-${name}`);
  }
}

// scripts/e2e-server.sh turns recording on; where the server still cannot record (no
// ffmpeg), the app offers no Record button at all and this test is skipped.

/** The meeting header's indicator, which everyone in the meeting sees. */
const indicator = (page: Page) => page.getByTestId('recording-indicator');

test('a host records a meeting, then everyone can watch it in the page', async ({
  page: host,
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  const features = await request.get('/api/v1/server/features');
  test.skip(!((await features.json()) as { recording: boolean }).recording, 'no recording here');

  await signedInPerson(host, request, newPerson('Dewi', 'Anggraini'));
  await host.setViewportSize(VIEWPORTS.desktop);
  const code = await createRoom(host, request, {
    name: 'Quarterly review',
    settings: { media_mode: 'sfu' },
  });
  await join(host, code);
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await signedInPerson(guest, request, newPerson('Bayu', 'Saputra'));
  await guest.setViewportSize(PHONE); // the indicator must show on a phone too
  await join(guest, code);

  await test.step('the host starts recording after confirming; both see it', async () => {
    await host.getByRole('button', { name: 'Record', exact: true }).click();
    await host
      .getByRole('dialog', { name: 'Record this meeting?' })
      .getByRole('button', {
        name: 'Start recording',
      })
      .click();
    await expect(indicator(host)).toBeVisible({ timeout: 15_000 });
    await expect(indicator(guest)).toBeVisible();
    await expect(guest.getByRole('button', { name: 'Record', exact: true })).toHaveCount(0);
    await screenshot(guest, 'phone-meeting-recorded');
    await screenshot(host, 'desktop-meeting-recording');
    await host.waitForTimeout(6_000); // some media to record
    await host.getByRole('button', { name: 'Stop recording' }).click();
    await expect(indicator(guest)).toHaveCount(0, { timeout: 15_000 });
  });

  await test.step('the recording is composed and plays in the page, seeking included', async () => {
    await guest.setViewportSize(LAPTOP);
    await guest.goto('/recordings');
    const list = guest.getByRole('list', { name: 'Recordings' });
    await expect(list.getByText('Ready')).toBeVisible({ timeout: 150_000 });
    await phoneAndLaptop(guest, 'recordings-ready');
    await guest.getByRole('button', { name: /^Play Quarterly review/ }).click();
    const video = guest.getByRole('dialog', { name: 'Quarterly review' }).locator('video');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(3);
    const landed = await video.evaluate(
      (v: HTMLVideoElement) =>
        new Promise<number>((resolve) => {
          v.addEventListener(
            'seeked',
            () => {
              resolve(v.currentTime);
            },
            { once: true },
          );
          v.currentTime = v.duration / 2;
        }),
    );
    expect(landed).toBeGreaterThan(1);
    await phoneAndLaptop(guest, 'recordings-player');
    await guest.keyboard.press('Escape');
  });

  await test.step('it downloads as a file', async () => {
    const saving = guest.waitForEvent('download');
    await guest.getByRole('button', { name: /^Download Quarterly review/ }).click();
    const download = await saving;
    expect(download.suggestedFilename()).toMatch(/\.(mp4|webm)$/);
  });

  await test.step('only the host deletes it, after confirming', async () => {
    await expect(guest.getByRole('button', { name: /^Delete Quarterly review/ })).toHaveCount(0);
    await host.goto('/recordings');
    await host.getByRole('button', { name: /^Delete Quarterly review/ }).click();
    await host.getByRole('button', { name: 'Delete recording' }).click();
    await expect(host.getByText('No recordings yet')).toBeVisible();
  });
  await guestContext.close();
});
