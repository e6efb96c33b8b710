import { expect, test } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import { accessTokenOf, createRoom, join } from './support/meeting';
import { VIEWPORTS, screenshotBothWidths } from './support/screenshots';

/** The room's id (the room page's address), from its meeting code. */
async function roomIdOf(request: APIRequestContext, page: Page, code: string): Promise<string> {
  const response = await request.get(`/api/v1/rooms/${code}`, {
    headers: { Authorization: `Bearer ${await accessTokenOf(page)}` },
  });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

test('a host turns chat and screen sharing off for a live meeting', async ({
  page: host,
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  await signedInPerson(host, request, newPerson('Rina', 'Kusuma'));
  await host.setViewportSize(VIEWPORTS.desktop);
  const code = await createRoom(host, request, { name: 'Board review' });
  await join(host, code);
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await signedInPerson(guest, request, newPerson('Agus', 'Hidayat'));
  await guest.setViewportSize(VIEWPORTS.desktop);
  await join(guest, code);
  const chat = guest.getByRole('button', { name: /^Chat/ });
  if ((await chat.getAttribute('aria-pressed')) !== 'true') {
    await chat.click();
  }
  await expect(guest.getByRole('textbox', { name: 'Message' })).toBeVisible();

  const changed = await request.put(`/api/v1/rooms/${code}/settings`, {
    headers: { Authorization: `Bearer ${await accessTokenOf(host)}` },
    data: { allow_chat: false, allow_screen_share: false },
  });
  expect(changed.status(), await changed.text()).toBe(200);

  await expect(guest.getByTestId('chat-read-only')).toContainText('The host has turned chat off');
  await expect(guest.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
  await expect(
    guest.getByRole('button', { name: 'Screen sharing is off in this room' }),
  ).toBeDisabled();
  await expect(guest.getByText('The host turned chat off')).toBeVisible();
  await screenshotBothWidths(guest, 'meeting-chat-off');
  await guestContext.close();
});

test('a removed person stays out until a host lets them back in', async ({
  page: host,
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  await signedInPerson(host, request, newPerson('Sari', 'Wulandari'));
  await host.setViewportSize(VIEWPORTS.desktop);
  const code = await createRoom(host, request, { name: 'Board review' });
  await join(host, code);

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await signedInPerson(guest, request, newPerson('Joko', 'Susilo'));
  await guest.setViewportSize(VIEWPORTS.desktop);
  await join(guest, code);

  await test.step('the host removes the guest, who is told so', async () => {
    const people = host.getByRole('button', { name: /^People/ });
    if ((await people.getAttribute('aria-pressed')) !== 'true') {
      await people.click();
    }
    await host.getByRole('button', { name: 'Remove Joko Susilo' }).click();
    const dialog = host.getByRole('dialog', { name: 'Remove Joko Susilo?' });
    await expect(dialog).toContainText('cannot join again until a host or moderator');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect(
      guest.getByRole('heading', { name: 'You were removed from the meeting' }),
    ).toBeVisible();
    await expect(guest.getByText('once they let you back in')).toBeVisible();
  });

  await test.step('the link does not bring them back', async () => {
    await guest.goto(`/r/${code}`);
    await guest.getByRole('button', { name: 'Join now' }).click();
    await expect(guest.getByRole('alert')).toContainText('removed you from this room');
    await expect(guest.getByRole('toolbar', { name: 'Meeting controls' })).toHaveCount(0);
    await screenshotBothWidths(guest, 'removal-refused');
  });

  await test.step("the host lets them back in from the room's page", async () => {
    const page = await host.context().newPage();
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`/rooms/${await roomIdOf(request, host, code)}`);
    const removed = page.getByRole('list', { name: 'Removed people' });
    await expect(removed).toContainText('Joko Susilo');
    await screenshotBothWidths(page, 'removal-room-page');
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.getByRole('button', { name: 'Let Joko Susilo back in' }).click();
    await expect(page.getByText('Joko Susilo can join again')).toBeVisible();
    await expect(removed).toHaveCount(0);
  });

  await test.step('and the link works again', async () => {
    await guest.setViewportSize(VIEWPORTS.desktop);
    await join(guest, code);
  });
  await guestContext.close();
});
