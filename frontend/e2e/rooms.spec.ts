import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import { browserDateInDays, settle, toast } from './support/rooms';
import { SCREENSHOTS, VIEWPORTS, screenshot, screenshotBothWidths } from './support/screenshots';

const ROOM_NAME = 'Quarterly design review';
const ROOM_PASSWORD = 'river stone 42';

test('a host schedules a protected meeting and a guest joins it with the password', async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signedInPerson(page, request, newPerson('Hana', 'Wijaya'));
  await page.setViewportSize(VIEWPORTS.desktop);
  let code = '';

  await test.step('schedule a meeting through the form', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Schedule', exact: true }).click();
    await expect(page).toHaveURL(/\/rooms\/new\?schedule=1$/);
    await expect(page.getByRole('heading', { name: 'Schedule a meeting', level: 1 })).toBeVisible();
    await settle(page);
    await screenshotBothWidths(page, 'rooms-create-form');

    await page.getByLabel('Password (optional)').fill('abc');
    await page.getByRole('button', { name: 'Schedule meeting' }).click();
    await expect(page.getByText('Give the room a name.')).toBeVisible();
    await expect(page.getByText('Use at least 4 characters, or leave it empty.')).toBeVisible();
    await expect(page.getByLabel('Name')).toBeFocused();
    await settle(page);
    await screenshotBothWidths(page, 'rooms-create-form-errors');

    await page.getByLabel('Name').fill(ROOM_NAME);
    await page.getByLabel('Description (optional)').fill('Walk through the new lobby screens.');
    await page.getByLabel('Password (optional)').fill(ROOM_PASSWORD);
    await page.getByRole('button', { name: 'Show password' }).click();
    await expect(page.getByLabel('Password (optional)')).toHaveAttribute('type', 'text');
    await page.getByLabel('Most people at once').fill('8');
    await page.getByLabel('Date').fill(await browserDateInDays(page, 2));
    await page.getByLabel('Start time').fill('10:00');
    await page.getByLabel('Length in minutes').fill('45');
    await page.getByRole('switch', { name: 'Mute people when they join' }).click();
    await page.getByRole('button', { name: 'Schedule meeting' }).click();

    await expect(page).toHaveURL(/\/rooms\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { name: ROOM_NAME, level: 1 })).toBeVisible();
    await expect(toast(page, 'Meeting scheduled')).toBeVisible();
    code = await page.getByLabel('Invite link').inputValue();
    code = /\/r\/([a-z-]+)$/.exec(code)?.[1] ?? '';
    expect(code).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
  });

  await test.step('the room page shows the host everything', async () => {
    await expect(page.getByText('Required to join')).toBeVisible();
    await expect(page.getByText('You: Host')).toBeVisible();
    await expect(page.getByRole('switch', { name: 'Mute people when they join' })).toBeChecked();
    await expect(page.getByRole('switch', { name: 'Allow chat' })).toBeEnabled();
    for (const name of ['Edit', 'End for everyone', 'Cancel meeting', 'Delete room']) {
      await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
    }
    await settle(page);
    await screenshotBothWidths(page, 'rooms-detail-host');
  });

  await test.step('download the calendar invitation', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Calendar invitation' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`rapat-${code}.ics`);
    const text = await readFile(await download.path(), 'utf8');
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain(`SUMMARY:${ROOM_NAME}`);
    expect(text).toContain('DTSTART:');
  });

  await test.step('the dashboard lists it under Upcoming and Your rooms', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).first().click();
    const upcoming = page.getByRole('list', { name: 'Upcoming meetings' });
    await expect(upcoming.getByRole('link', { name: ROOM_NAME })).toBeVisible();
    await expect(upcoming).toContainText('in 2 days');
    const mine = page.getByRole('list', { name: 'Your rooms' });
    const row = mine.getByRole('listitem').filter({ hasText: ROOM_NAME });
    await expect(row).toContainText(code);
    await expect(row).toContainText('Host');
    await expect(row).toContainText('Active');

    await row.getByRole('button', { name: `Copy invite link for ${ROOM_NAME}` }).click();
    await expect(toast(page, 'Copied')).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(new RegExp(`/r/${code}$`));
    await settle(page);
    await screenshotBothWidths(page, 'rooms-dashboard');
  });

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();

  await test.step('a second person opens the meeting by its code', async () => {
    await signedInPerson(guest, request, newPerson('Gita', 'Pratama'));
    await guest.setViewportSize(VIEWPORTS.desktop);
    await guest.goto('/');
    await guest.getByLabel('Meeting code or link').fill('not-a-code');
    await guest.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(guest.getByText('That is not a meeting code.')).toBeVisible();
    await guest.getByLabel('Meeting code or link').fill(code.replaceAll('-', '').toUpperCase());
    await guest.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(guest).toHaveURL(new RegExp(`/r/${code}$`));
    await expect(guest.getByRole('heading', { name: ROOM_NAME, level: 1 })).toBeVisible();
    await expect(guest.getByText('Hana Wijaya')).toBeVisible();
    await expect(guest.getByLabel('Meeting password')).toBeVisible();
    await settle(guest);
    await screenshotBothWidths(guest, 'rooms-password-prompt');
  });

  await test.step('a wrong password is refused on the field', async () => {
    await guest.getByLabel('Meeting password').fill('not the password');
    await guest.getByRole('button', { name: 'Join now' }).click();
    await expect(guest.getByText('That password is not right.')).toBeVisible();
    await expect(guest.getByLabel('Meeting password')).toHaveAttribute('aria-invalid', 'true');
    await settle(guest);
    await screenshotBothWidths(guest, 'rooms-wrong-password');
  });

  await test.step('the right password lets the guest in', async () => {
    await guest.getByLabel('Meeting password').fill(ROOM_PASSWORD);
    await guest.getByRole('button', { name: 'Join now' }).click();
    await expect(guest.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
    await settle(guest);
    await screenshotBothWidths(guest, 'rooms-joined');
  });

  await test.step('the host sees the guest in the meeting', async () => {
    await page.getByRole('link', { name: ROOM_NAME }).first().click();
    const people = page.getByRole('list', { name: 'Participants' });
    await expect(people.getByRole('listitem').filter({ hasText: 'Gita Pratama' })).toContainText(
      'In the meeting',
    );
  });

  await test.step('leaving returns to the dashboard, with the meeting in the history', async () => {
    await guest.getByRole('button', { name: 'Leave meeting' }).click();
    await guest.getByRole('link', { name: 'Back to dashboard' }).click();
    await expect(guest.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
    const recent = guest.getByRole('list', { name: 'Recent meetings' });
    await expect(recent.getByRole('listitem').filter({ hasText: ROOM_NAME })).toContainText(
      '< 1 min',
    );
    await settle(guest);
    await screenshotBothWidths(guest, 'rooms-dashboard-history');
  });
  await guestContext.close();
});

test('New meeting starts a room and opens its lobby; ending it closes the link', async ({
  page,
  request,
}) => {
  await signedInPerson(page, request, newPerson('Rina', 'Putri'));
  await page.setViewportSize(VIEWPORTS.desktop);
  await page.goto('/');
  await page.getByRole('button', { name: 'New meeting' }).click();
  await expect(page).toHaveURL(/\/r\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
  const meetingLink = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { name: "Rina's meeting", level: 1 })).toBeVisible();
  await expect(page.getByLabel('Meeting password')).toHaveCount(0);
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();

  await page.goto('/');
  const row = page
    .getByRole('list', { name: 'Your rooms' })
    .getByRole('listitem')
    .filter({ hasText: "Rina's meeting" });
  await expect(row).toContainText('1 in the meeting');
  await row.getByRole('link', { name: "Open Rina's meeting" }).click();
  await page.getByRole('button', { name: 'End for everyone' }).click();
  const dialog = page.getByRole('dialog', { name: 'End the meeting for everyone?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Keep meeting going' })).toBeFocused();
  await page.screenshot({ path: `${SCREENSHOTS}/desktop-rooms-end-confirm.png` });
  await dialog.getByRole('button', { name: 'End for everyone' }).click();
  await expect(toast(page, 'Meeting ended')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel meeting' })).toHaveCount(0);

  await page.goto(meetingLink);
  await expect(page.getByText('This meeting has ended')).toBeVisible();
  await screenshot(page, 'desktop-rooms-meeting-ended');
});

test('a code without a meeting says so, and visitors sign in first', async ({ page, request }) => {
  await page.goto('/r/abc-defg-hij');
  await expect(page).toHaveURL(/\/login\?next=%2Fr%2Fabc-defg-hij$/);
  await signedInPerson(page, request, newPerson('Dewi', 'Sari'));
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await page.goto('/r/zzz-zzzz-zzz');
    await expect(page.getByText('No meeting with this code')).toBeVisible();
    await screenshot(page, `${name}-rooms-no-such-meeting`);
  }
  await page.getByRole('link', { name: 'Go to dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
});
