import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

const SCREENSHOTS = 'test-results/screenshots';

// green-700 (#15803d): the primary button fill that carries white text at WCAG AA.
const PRIMARY_GREEN = 'rgb(21, 128, 61)';

const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 812 },
} as const;

async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: `${SCREENSHOTS}/${name}.png`,
    fullPage: true,
    animations: 'disabled',
  });
}

test('the shell renders with the theme and routes on the client', async ({ page }) => {
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
  await header.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Email')).toBeVisible();
  await expect(page.getByLabel('Password')).toBeVisible();
  expect(
    await page.evaluate(() => (window as Window & { rapatLoaded?: boolean }).rapatLoaded),
  ).toBe(true);
});

test('a meeting deep link loads the app, not a server 404', async ({ page }) => {
  const response = await page.goto('/r/abc-defg-hij');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Ready to join?' })).toBeVisible();
  await expect(page.getByText('abc-defg-hij')).toBeVisible();
});

test('a form without a server endpoint answers with a toast', async ({ page }) => {
  for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await page.goto('/login');
    await page.getByLabel('Email').fill('ayu@example.id');
    await page.getByLabel('Password').fill('secret password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('status')).toContainText('not available yet');
    await screenshot(page, `${viewportName}-toast`);
  }
});

test('the API docs page runs on the bundled Swagger UI', async ({ page, request }) => {
  for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
    const response = await request.get(`/swagger/${file}`);
    expect(response.status(), file).toBe(200);
  }
  await page.goto('/docs');
  await expect(page.locator('.swagger-ui .info .title')).toContainText('Rapat');
});

test('the page loads without console errors or blocked resources', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto('/');
  await expect(page.getByRole('banner')).toContainText('Rapat');
  expect(problems).toEqual([]);
});

const PAGES = [
  ['dashboard', '/'],
  ['login', '/login'],
  ['register', '/register'],
  ['meeting', '/r/abc-defg-hij'],
  ['contacts', '/contacts'],
  ['settings', '/settings'],
  ['profile', '/profile'],
  ['not-found', '/no-such-page'],
] as const;

for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
  test(`screenshots at ${viewportName} width`, async ({ page }) => {
    await page.setViewportSize(viewport);
    for (const [name, path] of PAGES) {
      await page.goto(path);
      await expect(page.locator('h1').first()).toBeVisible();
      // Nothing may stick out sideways: horizontal scrolling means a broken layout.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} overflows horizontally`).toBeLessThanOrEqual(0);
      await screenshot(page, `${viewportName}-${name}`);
    }
  });
}

test('the phone drawer opens from the menu button', async ({ page }) => {
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
