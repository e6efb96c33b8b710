import { expect, test } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import { VIEWPORTS, screenshotBothWidths } from './support/screenshots';

async function accessTokenOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const kept = JSON.parse(localStorage.getItem('rapat.session') ?? '{}') as {
      state?: { accessToken?: string };
    };
    return kept.state?.accessToken ?? '';
  });
}

async function createRoom(request: APIRequestContext, token: string) {
  const response = await request.post('/api/v1/rooms', {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: 'Board review' },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; code: string };
}

async function joinMeeting(page: Page, code: string) {
  await page.goto(`/r/${code}`);
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
}

test('a host turns chat and screen sharing off for a live meeting', async ({
  page: host,
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  await signedInPerson(host, request, newPerson('Rina', 'Kusuma'));
  await host.setViewportSize(VIEWPORTS.desktop);
  const token = await accessTokenOf(host);
  const room = await createRoom(request, token);
  await joinMeeting(host, room.code);
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await signedInPerson(guest, request, newPerson('Agus', 'Hidayat'));
  await guest.setViewportSize(VIEWPORTS.desktop);
  await joinMeeting(guest, room.code);
  const chat = guest.getByRole('button', { name: /^Chat/ });
  if ((await chat.getAttribute('aria-pressed')) !== 'true') {
    await chat.click();
  }
  await expect(guest.getByRole('textbox', { name: 'Message' })).toBeVisible();

  const changed = await request.put(`/api/v1/rooms/${room.id}/settings`, {
    headers: { Authorization: `Bearer ${token}` },
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
  const room = await createRoom(request, await accessTokenOf(host));
  await joinMeeting(host, room.code);

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await signedInPerson(guest, request, newPerson('Joko', 'Susilo'));
  await guest.setViewportSize(VIEWPORTS.desktop);
  await joinMeeting(guest, room.code);

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
    await guest.goto(`/r/${room.code}`);
    await guest.getByRole('button', { name: 'Join now' }).click();
    await expect(guest.getByRole('alert')).toContainText('removed you from this room');
    await expect(guest.getByRole('toolbar', { name: 'Meeting controls' })).toHaveCount(0);
    await screenshotBothWidths(guest, 'removal-refused');
  });

  await test.step("the host lets them back in from the room's page", async () => {
    const page = await host.context().newPage();
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`/rooms/${room.id}`);
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
    await joinMeeting(guest, room.code);
  });
  await guestContext.close();
});
