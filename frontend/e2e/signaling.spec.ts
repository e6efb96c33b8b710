import { expect, test } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import { settle } from './support/rooms';
import { VIEWPORTS, screenshotBothWidths } from './support/screenshots';

const ROOM_NAME = 'Sprint planning';

async function accessTokenOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const kept = JSON.parse(localStorage.getItem('rapat.session') ?? '{}') as {
      state?: { accessToken?: string };
    };
    return kept.state?.accessToken ?? '';
  });
}

async function createRoom(request: APIRequestContext, token: string): Promise<string> {
  const response = await request.post('/api/v1/rooms', {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: ROOM_NAME },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { code: string }).code;
}

async function joinMeeting(page: Page, code: string) {
  await page.goto(`/r/${code}`);
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
}

/** The side panel shows the chat or the people list, one at a time. */
async function show(page: Page, panel: 'Chat' | 'People') {
  const button = page.getByRole('button', { name: new RegExp(`^${panel}`) });
  if ((await button.getAttribute('aria-pressed')) !== 'true') {
    await button.click();
  }
}

function personRow(page: Page, name: string) {
  return page.getByRole('list', { name: 'Participants' }).getByRole('listitem').filter({
    hasText: name,
  });
}

test('two people meet live: presence, chat as text, mute, and the host ends it', async ({
  page: host,
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  await signedInPerson(host, request, newPerson('Dewi', 'Anggraini'));
  await host.setViewportSize(VIEWPORTS.desktop);
  const code = await createRoom(request, await accessTokenOf(host));
  await joinMeeting(host, code);

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await signedInPerson(guest, request, newPerson('Eko', 'Prasetyo'));
  await guest.setViewportSize(VIEWPORTS.desktop);
  await joinMeeting(guest, code);

  await test.step('each sees the other in the participant list', async () => {
    await show(host, 'People');
    await show(guest, 'People');
    await expect(personRow(host, 'Eko Prasetyo')).toContainText('Participant');
    await expect(personRow(guest, 'Dewi Anggraini')).toContainText('Host');
    await expect(personRow(guest, 'Eko Prasetyo (you)')).toBeVisible();
  });

  await test.step('chat reaches the other side as plain text', async () => {
    await show(host, 'Chat');
    await show(guest, 'Chat');
    await guest
      .getByRole('textbox', { name: 'Message' })
      .fill('<b>x</b> agenda: https://example.com/plan');
    await guest.getByRole('button', { name: 'Send message' }).click();
    const log = host.getByRole('log', { name: 'Chat messages' });
    await expect(log.getByText('<b>x</b> agenda:')).toBeVisible();
    await expect(log.locator('b')).toHaveCount(0);
    await expect(log.getByRole('link', { name: 'https://example.com/plan' })).toHaveAttribute(
      'rel',
      'noopener noreferrer',
    );
    await host.getByRole('textbox', { name: 'Message' }).fill('Welcome, Eko!');
    await host.keyboard.press('Enter');
    await expect(
      guest.getByRole('log', { name: 'Chat messages' }).getByText('Welcome, Eko!'),
    ).toBeVisible();
  });

  await test.step('muting shows on the other side', async () => {
    await show(host, 'People');
    await guest.getByRole('button', { name: 'Mute', exact: true }).click();
    await expect(guest.getByRole('button', { name: 'Unmute' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(
      personRow(host, 'Eko Prasetyo').getByRole('img', { name: 'Microphone off' }),
    ).toBeVisible();
    await guest.getByRole('button', { name: 'Raise hand' }).click();
    await expect(
      personRow(host, 'Eko Prasetyo').getByRole('img', { name: 'Hand raised' }),
    ).toBeVisible();
  });

  await test.step('screenshots of both sides', async () => {
    await settle(host);
    await screenshotBothWidths(host, 'meeting-host');
    await settle(guest);
    await screenshotBothWidths(guest, 'meeting-guest');
  });

  await test.step('the host ends the meeting for everyone', async () => {
    await host.getByRole('button', { name: 'End for everyone' }).click();
    const dialog = host.getByRole('dialog', { name: 'End the meeting for everyone?' });
    await dialog.getByRole('button', { name: 'End meeting' }).click();
    await expect(guest.getByRole('heading', { name: 'The host ended the meeting' })).toBeVisible();
    await expect(
      host.getByRole('heading', { name: 'You ended the meeting for everyone' }),
    ).toBeVisible();
    await expect(host.getByText('The host ended the meeting')).toHaveCount(0);
    await settle(guest);
    await screenshotBothWidths(guest, 'meeting-ended');
    await settle(host);
    await screenshotBothWidths(host, 'meeting-ended-by-you');
  });
  await guestContext.close();
});
