import { expect, test } from '@playwright/test';
import type { Browser, APIRequestContext, Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import { accessTokenOf, createRoom, expectCameraPreview, join } from './support/meeting';
import { expectNoHorizontalOverflow, screenshot } from './support/screenshots';

// The waiting room (decision 59) with three people: a host, a member let in before the
// waiting room was turned on, and a guest who must wait; a fourth is turned away.

const SIZES = {
  phone: { width: 390, height: 844 },
  laptop: { width: 1366, height: 768 },
} as const;

async function shootBoth(page: Page, name: string, restore: keyof typeof SIZES = 'laptop') {
  for (const size of ['phone', 'laptop'] as const) {
    await page.setViewportSize(SIZES[size]);
    await expectNoHorizontalOverflow(page, `${size}-${name}`);
    await screenshot(page, `${name}-${String(SIZES[size].width)}`);
  }
  await page.setViewportSize(SIZES[restore]);
}

async function personIn(browser: Browser, request: APIRequestContext, first: string, last: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signedInPerson(page, request, newPerson(first, last));
  await page.setViewportSize(SIZES.laptop);
  return page;
}

async function knock(page: Page, code: string) {
  await page.goto(`/r/${code}`);
  await expectCameraPreview(page);
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Waiting for the host' })).toBeVisible();
}

test('guests wait in the lobby until a host lets them in or turns them away', async ({
  page: host,
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  await signedInPerson(host, request, newPerson('Rina', 'Kusuma'));
  await host.setViewportSize(SIZES.laptop);
  const code = await createRoom(host, request, { name: 'Design review' });
  await join(host, code);
  const member = await personIn(browser, request, 'Maya', 'Putri');
  await join(member, code);

  const settings = await request.put(`/api/v1/rooms/${code}/settings`, {
    headers: { Authorization: `Bearer ${await accessTokenOf(host)}` },
    data: { lobby_enabled: true },
  });
  expect(settings.status(), await settings.text()).toBe(200);

  const guest = await personIn(browser, request, 'Agus', 'Hidayat');
  const notice = host.getByRole('status', { name: 'Waiting to join' });

  await test.step('the guest waits with their camera preview, and the host is asked', async () => {
    await knock(guest, code);
    await expect(guest.getByText('Asking to join…')).toBeVisible();
    await expect(guest.getByRole('toolbar', { name: 'Meeting controls' })).toHaveCount(0);
    await expect(notice).toContainText('Agus Hidayat wants to join');
    // Only hosts and moderators hear who waits.
    await expect(member.getByRole('status', { name: 'Waiting to join' })).toHaveCount(0);
    await expectCameraPreview(guest, { playing: true });
    await shootBoth(guest, 'lobby-waiting');
    await shootBoth(host, 'lobby-host-notice');
  });

  await test.step('waiting survives a reload', async () => {
    await guest.reload();
    await expect(
      guest.getByRole('status').filter({ hasText: 'Waiting for the host' }),
    ).toBeVisible();
    await expect(notice).toContainText('Agus Hidayat wants to join');
  });

  await test.step('the people panel lists who waits; the host admits the guest', async () => {
    const people = host.getByRole('button', { name: /^People/ });
    if ((await people.getAttribute('aria-pressed')) !== 'true') {
      await people.click();
    }
    const waiting = host.getByRole('list', { name: 'Waiting to join' });
    await expect(waiting).toContainText('Agus Hidayat');
    await shootBoth(host, 'lobby-host-panel');
    await waiting.getByRole('button', { name: 'Admit Agus Hidayat' }).click();
    await expect(guest.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible({
      timeout: 20_000,
    });
    // The member sees the guest arrive.
    await expect(
      member.getByTestId('video-tile').filter({ hasText: 'Agus Hidayat' }),
    ).toBeVisible();
    await expect(host.getByRole('list', { name: 'Waiting to join' })).toHaveCount(0);
  });

  await test.step('a latecomer turned away is told so', async () => {
    const late = await personIn(browser, request, 'Budi', 'Santoso');
    await knock(late, code);
    const row = host.getByRole('list', { name: 'Waiting to join' });
    await row.getByRole('button', { name: 'Deny Budi Santoso' }).click();
    await expect(late.getByText(/The host did not let you in this time/)).toBeVisible();
    await expect(late.getByRole('toolbar', { name: 'Meeting controls' })).toHaveCount(0);
    await shootBoth(late, 'lobby-denied');
    await late.context().close();
  });

  await guest.context().close();
  await member.context().close();
});
