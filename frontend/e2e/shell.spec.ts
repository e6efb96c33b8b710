import { expect, test } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import { VIEWPORTS, expectNoHorizontalOverflow, screenshot } from './support/screenshots';

// green-700 (#15803d): the primary button fill that carries white text at WCAG AA.
const PRIMARY_GREEN = 'rgb(21, 128, 61)';

test('the shell renders with the theme and routes on the client', async ({ page, request }) => {
  await signedInPerson(page, request, newPerson('Sari', 'Wulandari'));
  await page.setViewportSize(VIEWPORTS.desktop);
  await page.goto('/');

  const header = page.getByRole('banner');
  await expect(header).toContainText('Rapat');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Dashboard', 'Contacts', 'Profile', 'Settings']) {
    await expect(nav.getByRole('link', { name })).toBeVisible();
  }
  await expect(page.getByText('No rooms yet')).toBeVisible();

  const newMeeting = page.getByRole('button', { name: 'New meeting' });
  await expect(newMeeting).toHaveCSS('background-color', PRIMARY_GREEN);
  await expect(newMeeting).toHaveCSS('color', 'rgb(255, 255, 255)');
  const rootGreen = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--green-500').trim(),
  );
  expect(rootGreen.toLowerCase()).toBe('#22c55e');

  // Client routing: the document is not reloaded when following an in-app link.
  await page.evaluate(() => {
    (window as Window & { rapatLoaded?: boolean }).rapatLoaded = true;
  });
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  expect(
    await page.evaluate(() => (window as Window & { rapatLoaded?: boolean }).rapatLoaded),
  ).toBe(true);
});

test('a meeting deep link loads the app, not a server 404', async ({ page }) => {
  const response = await page.goto('/r/abc-defg-hij');
  expect(response?.status()).toBe(200);
  // Meetings need an account: the app asks to sign in and comes back to the link.
  await expect(page).toHaveURL(/\/login\?next=%2Fr%2Fabc-defg-hij$/);
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
});

test('visitors of a signed-in page are sent to sign in first', async ({ page }) => {
  await page.goto('/contacts');
  await expect(page).toHaveURL(/\/login\?next=%2Fcontacts$/);
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Email')).toBeVisible();
  await expect(page.getByLabel('Password')).toBeVisible();
});

test('the API docs page runs on the bundled Swagger UI', async ({ page, request }) => {
  for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
    const response = await request.get(`/swagger/${file}`);
    expect(response.status(), file).toBe(200);
  }
  await page.goto('/docs');
  await expect(page.locator('.swagger-ui .info .title')).toContainText('Rapat');
});

test('pages load without console errors or blocked resources', async ({ page, request }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await signedInPerson(page, request, newPerson('Lina', 'Hartono'));
  for (const path of ['/', '/profile', '/contacts', '/sessions', '/settings']) {
    await page.goto(path);
    await expect(page.getByRole('banner')).toContainText('Rapat');
    await expect(page.locator('h1')).toBeVisible();
  }
  expect(problems).toEqual([]);
});

const PUBLIC_PAGES = [
  ['login', '/login'],
  ['register', '/register'],
  ['forgot-password', '/forgot-password'],
  ['not-found', '/no-such-page'],
] as const;

const SIGNED_IN_PAGES = [
  ['dashboard', '/'],
  ['contacts', '/contacts'],
  ['sessions', '/sessions'],
  ['settings', '/settings'],
  ['profile', '/profile'],
  ['meeting', '/r/abc-defg-hij'],
] as const;

for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
  test(`screenshots at ${viewportName} width`, async ({ page, request }) => {
    await page.setViewportSize(viewport);
    const visit = async (name: string, path: string) => {
      await page.goto(path);
      await expect(page.locator('h1').first()).toBeVisible();
      await expectNoHorizontalOverflow(page, name);
      await screenshot(page, `${viewportName}-${name}`);
    };
    for (const [name, path] of PUBLIC_PAGES) {
      await visit(name, path);
    }
    await signedInPerson(page, request, newPerson('Tari', 'Maharani'));
    for (const [name, path] of SIGNED_IN_PAGES) {
      await visit(name, path);
    }
  });
}

test('the phone drawer opens from the menu button', async ({ page, request }) => {
  await signedInPerson(page, request, newPerson('Wati', 'Susanti'));
  await page.setViewportSize(VIEWPORTS.phone);
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await expect(nav).toBeVisible();
  await screenshot(page, 'phone-drawer');
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(nav).toBeHidden();
});
