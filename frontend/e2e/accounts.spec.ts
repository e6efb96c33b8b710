import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import {
  PASSWORD,
  linkFromMailbox,
  makeDiscoverable,
  newPerson,
  registerViaApi,
  verifyViaApi,
} from './support/accounts';
import { VIEWPORTS, screenshotBothWidths } from './support/screenshots';

// A 48×48 PNG: a green disc on pale green, small enough to keep inline.
const AVATAR_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAhUlEQVR42u3Yyw2AMAyDYS/BOOzGoNxZgkMX4JFWTeRKv+QBvlNkR+d9WUWAAAEC1JHt2B9TDXpzTJEpiTLMUram16QCTZdJNZq4SWWaoEmVmohpKVCG5tcEaBiUp/k2AQIECBCXemUQfWjFCutY8h1nkONQdJzSjs8G03cMHzRAgADNTAPTWJxTLoQsjAAAAABJRU5ErkJggg==',
  'base64',
);

const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

function toast(page: Page, text: string) {
  return page.getByRole('status').filter({ hasText: text });
}

test('a new account: sign up, verify by mail, sign in, profile, contacts, sign out', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const ayu = newPerson('Ayu', 'Lestari');
  await page.setViewportSize(VIEWPORTS.desktop);

  await test.step('register', async () => {
    await page.goto('/register');
    await screenshotBothWidths(page, 'account-register');
    await page.getByLabel('First name').fill(ayu.firstName);
    await page.getByLabel('Last name').fill(ayu.lastName);
    await page.getByLabel('Email').fill(ayu.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
    await expect(page.getByText(ayu.email)).toBeVisible();
    await screenshotBothWidths(page, 'account-register-check-email');
  });

  await test.step('follow the verification link from the dev mailbox', async () => {
    await linkFromMailbox(request, ayu.email, '/verify-email');
    await page.goto('/dev/mailbox');
    const mail = page
      .getByRole('list', { name: 'Mails' })
      .getByRole('button')
      .filter({ hasText: `To ${ayu.email}` })
      .first();
    await mail.click();
    const reader = page.getByRole('article');
    await expect(reader.getByRole('heading', { level: 2 })).toContainText('Confirm your email');
    await screenshotBothWidths(page, 'account-dev-mailbox');
    await page.setViewportSize(VIEWPORTS.desktop);
    await reader.getByRole('link', { name: /\/verify-email\?token=/ }).click();
    await expect(page).toHaveURL(/\/verify-email\?token=/);
    await expect(page.getByText('Your email is verified')).toBeVisible();
    await screenshotBothWidths(page, 'account-verify-email');
  });

  await test.step('sign in', async () => {
    await page.getByRole('link', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel('Email').fill(ayu.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('not right');
    await screenshotBothWidths(page, 'account-login-refused');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Account menu for Ayu Lestari' })).toBeVisible();
  });

  await test.step('edit the name and upload a photo', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Profile' })
      .click();
    await expect(page.getByText('Not verified')).toHaveCount(0);
    await expect(page.getByText('Verified', { exact: true })).toBeVisible();
    await page.getByLabel('First name').fill('Ayuni');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(toast(page, 'Profile saved')).toBeVisible();
    const menuButton = page.getByRole('button', { name: 'Account menu for Ayuni Lestari' });
    await expect(menuButton).toBeVisible();

    await page.getByLabel('Profile photo file').setInputFiles({
      name: 'ayu.png',
      mimeType: 'image/png',
      buffer: AVATAR_PNG,
    });
    await expect(page.getByText('This is a preview. Save to use it.')).toBeVisible();
    await page.getByRole('button', { name: 'Save photo' }).click();
    await expect(toast(page, 'Profile photo updated')).toBeVisible();
    const headerPhoto = page.getByRole('banner').getByRole('img', { name: 'Ayuni Lestari' });
    await expect(headerPhoto).toHaveAttribute('src', /\/api\/v1\/users\/.+\/avatar/);
    await expect
      .poll(() => headerPhoto.evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await page.reload();
    await expect(headerPhoto).toBeVisible();
    await screenshotBothWidths(page, 'account-profile');
  });

  await test.step('add a second person as a contact through search', async () => {
    const budi = newPerson('Budi', 'Santoso');
    await registerViaApi(request, budi);
    await verifyViaApi(request, budi.email);
    await page.setViewportSize(VIEWPORTS.desktop);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Contacts' })
      .click();
    await expect(page.getByText('No contacts yet')).toBeVisible();
    await screenshotBothWidths(page, 'account-contacts-empty');
    // Hidden by default: even his whole address finds no one, as for an unknown one.
    const search = page.getByLabel('Find people');
    await search.fill(budi.email);
    await expect(page.getByText(`No one found for “${budi.email}”.`)).toBeVisible();
    await expect(
      page.getByText(
        'People appear here only if they let others find them or are already in your contacts.',
      ),
    ).toBeVisible();
    // Once he lets people find him, his whole address (unique to this run; any case) does.
    await makeDiscoverable(request, budi);
    await search.fill(budi.email.toUpperCase());
    const results = page.getByRole('list', { name: 'Search results' });
    await results.getByRole('button', { name: 'Add Budi Santoso' }).click();
    await expect(toast(page, 'Budi Santoso added to your contacts')).toBeVisible();
    const contacts = page.getByRole('list', { name: 'Your contacts' });
    await expect(contacts.getByText('Budi Santoso')).toBeVisible();
    // He just used the API to change his setting: an authenticated request counts as online.
    await expect(contacts.getByText('Online')).toBeVisible();
    await expect(results.getByText('In contacts')).toBeVisible();
    await screenshotBothWidths(page, 'account-contacts');
  });

  await test.step('see the devices signed in and sign one out', async () => {
    const phoneLogin = await request.post('/api/v1/auth/login', {
      data: { email: ayu.email, password: PASSWORD },
      headers: { 'User-Agent': IPHONE_SAFARI },
    });
    expect(phoneLogin.status()).toBe(200);
    await page.goto('/sessions');
    const devices = page.getByRole('list', { name: 'Signed-in devices' });
    await expect(devices.getByText('This device')).toBeVisible();
    await expect(devices.getByText('Safari on iOS')).toBeVisible();
    await screenshotBothWidths(page, 'account-sessions');
    await devices.getByRole('button', { name: 'Sign out' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out this device?' });
    await expect(dialog).toContainText('Safari on iOS');
    await screenshotBothWidths(page, 'account-sessions-confirm');
    await dialog.getByRole('button', { name: 'Sign out device' }).click();
    await expect(toast(page, 'Safari on iOS was signed out')).toBeVisible();
    await expect(devices.getByText('Safari on iOS')).toHaveCount(0);
  });

  await test.step('settings', async () => {
    await page.goto('/settings');
    const reminders = page.getByRole('switch', { name: 'Email me reminders' });
    await expect(reminders).toHaveAttribute('aria-checked', 'true');
    // Private by default: nobody but her contacts can find her.
    await expect(
      page
        .getByRole('region', { name: 'Privacy' })
        .getByRole('switch', { name: 'Let people find me by name or email' }),
    ).toHaveAttribute('aria-checked', 'false');
    await reminders.click();
    await expect(toast(page, 'Settings saved')).toBeVisible();
    await page.reload();
    await expect(reminders).toHaveAttribute('aria-checked', 'false');
    await screenshotBothWidths(page, 'account-settings');
  });

  await test.step('sign out; signed-in pages then ask to sign in', async () => {
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.getByRole('button', { name: /Account menu for/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByText('You have signed out.')).toBeVisible();
    await page.goto('/profile');
    await expect(page).toHaveURL(/\/login\?next=%2Fprofile$/);
    await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  });
});

test('forgot password: the same answer for any address, and the emailed link sets a new one', async ({
  page,
  request,
}) => {
  const dewi = newPerson('Dewi', 'Kartika');
  await registerViaApi(request, dewi);
  await page.setViewportSize(VIEWPORTS.desktop);

  await page.goto('/forgot-password');
  await screenshotBothWidths(page, 'account-forgot-password');
  await page.getByLabel('Email').fill(dewi.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText('Reset link requested')).toBeVisible();
  await screenshotBothWidths(page, 'account-forgot-password-sent');

  const link = await linkFromMailbox(request, dewi.email, '/reset-password');
  await page.goto(new URL(link).pathname + new URL(link).search);
  await screenshotBothWidths(page, 'account-reset-password');
  await page.getByLabel('New password', { exact: true }).fill('a whole new secret');
  await page.getByLabel('Confirm new password').fill('a whole new secret');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('heading', { name: 'Password changed' })).toBeVisible();

  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(dewi.email);
  await page.getByLabel('Password').fill('a whole new secret');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
});
