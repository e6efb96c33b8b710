import { expect, test } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import { seriousViolations } from './support/axe';
import { expectCameraPreview } from './support/meeting';

// axe-core on the main pages: no serious or critical violations (WCAG 2.1 A and AA rules).

test('login, dashboard, pre-join and meeting pages have no serious accessibility problems', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await seriousViolations(page), 'login').toEqual([]);

  await signedInPerson(page, request, newPerson('Gita', 'Savitri'));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  expect(await seriousViolations(page), 'dashboard').toEqual([]);

  await page.getByRole('button', { name: 'New meeting' }).first().click();
  await expectCameraPreview(page);
  await page.getByText('Audio and video settings').click();
  expect(await seriousViolations(page), 'pre-join').toEqual([]);

  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
  await expect(page.getByLabel('Gita Savitri (you): video')).toBeVisible();
  expect(await seriousViolations(page), 'meeting with chat').toEqual([]);
  await page.getByRole('button', { name: 'People' }).click();
  expect(await seriousViolations(page), 'meeting with people').toEqual([]);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  expect(await seriousViolations(page), 'shortcuts dialog').toEqual([]);
});
