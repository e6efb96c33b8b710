import { expect, test } from '@playwright/test';

interface Tokens {
  access_token: string;
}
import { PASSWORD, makeDiscoverable, newPerson, signedInPerson } from './support/accounts';
import { settle, toast } from './support/rooms';
import { VIEWPORTS, screenshot } from './support/screenshots';

test('a contact added live rings the bell, and presence dots follow the open tab', async ({
  browser,
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const ayu = newPerson('Ayu', 'Lestari');
  const budi = newPerson('Budi', 'Santoso');
  await page.setViewportSize(VIEWPORTS.desktop);
  await signedInPerson(page, request, ayu);
  // Budi finds her through the people search, which shows only those who allow it.
  await makeDiscoverable(request, ayu);
  await page.goto('/');
  const bell = page.getByRole('button', { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName('Notifications');

  const budiContext = await browser.newContext({ viewport: VIEWPORTS.desktop });
  const budiPage = await budiContext.newPage();
  await signedInPerson(budiPage, request, budi);
  await budiPage.goto('/contacts');

  await test.step('Budi adds Ayu: her bell shows it without a reload', async () => {
    // Her whole address: search never matches part of one.
    await budiPage.getByLabel('Find people').fill(ayu.email);
    const results = budiPage.getByRole('list', { name: 'Search results' });
    await results.getByRole('button', { name: 'Add Ayu Lestari' }).click();
    await expect(toast(budiPage, 'Ayu Lestari added to your contacts')).toBeVisible();

    await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
    await expect(page.getByTestId('notification-badge')).toHaveText('1');
    await bell.click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    await expect(panel.getByText('Budi Santoso added you as a contact')).toBeVisible();
    await page.mouse.move(0, 0);
    await screenshot(page, 'notifications-bell-open');

    await panel.getByRole('button', { name: /Budi Santoso added you/ }).click();
    await expect(bell).toHaveAccessibleName('Notifications');
    await expect(page.getByTestId('notification-badge')).toHaveCount(0);
  });

  await test.step('Ayu invites Budi from her room page: his bell leads him to the meeting', async () => {
    const login = await request.post('/api/v1/auth/login', {
      data: { email: ayu.email, password: PASSWORD },
    });
    const headers = { Authorization: `Bearer ${((await login.json()) as Tokens).access_token}` };
    const created = await request.post('/api/v1/rooms', { data: { name: 'Launch' }, headers });
    const room = (await created.json()) as { id: string; code: string };
    const budiId = /"id":"([^"]+)"/.exec(
      (await budiPage.evaluate(() => localStorage.getItem('rapat.session'))) ?? '',
    )?.[1];
    await request.post('/api/v1/users/contacts', { data: { user_id: budiId }, headers });

    await page.goto(`/rooms/${room.id}`);
    await page.getByLabel('Budi Santoso').check();
    await page.getByRole('button', { name: 'Send invitations' }).click();
    await expect(toast(page, 'Invitation sent')).toBeVisible();

    const budiBell = budiPage.getByRole('button', { name: /^Notifications/ });
    // Ayu adding him back is the other one.
    await expect(budiBell).toHaveAccessibleName('Notifications, 2 unread');
    await budiBell.click();
    await budiPage
      .getByRole('dialog', { name: 'Notifications' })
      .getByRole('button', { name: /Ayu Lestari invited you to Launch/ })
      .click();
    await expect(budiPage).toHaveURL(new RegExp(`/r/${room.code}$`));
    await budiPage.goto('/contacts');
  });

  await test.step("Ayu's presence dot on Budi's contacts page follows her tab", async () => {
    const row = budiPage.getByRole('list', { name: 'Your contacts' }).getByRole('listitem');
    await expect(row).toContainText('Ayu Lestari');
    await expect(row).toContainText('Online');
    const ayuContext = page.context();
    await page.close();
    await expect(row).toContainText('Offline', { timeout: 15_000 });
    await settle(budiPage);
    await screenshot(budiPage, 'notifications-contact-offline');

    // Her session is still in the browser's storage: a new tab signs in by itself.
    const ayuAgain = await ayuContext.newPage();
    await ayuAgain.goto('/');
    await expect(row).toContainText('Online', { timeout: 15_000 });
    await ayuAgain.close();
  });
  await budiContext.close();
});
