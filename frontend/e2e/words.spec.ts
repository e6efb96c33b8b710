import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { seriousViolations } from './support/axe';
import { PASSWORD, linkFromMailbox, newPerson, signedInPerson } from './support/accounts';
import { accessTokenOf, createRoom, join } from './support/meeting';
import { settle } from './support/rooms';
import { VIEWPORTS, expectNoHorizontalOverflow, screenshot } from './support/screenshots';

// Words and flows a new person meets in the first minutes: where the mail is on a
// development server, confirming the email, what ending and leaving say, and asking
// before anything destructive.

const PHONE = { width: 390, height: 844 };

/** Screenshots at 390×844 and 1280×800 (no sideways scrolling); ends at desktop width. */
async function phoneAndDesktop(page: Page, name: string) {
  for (const [label, size] of [
    ['phone', PHONE],
    ['desktop', VIEWPORTS.desktop],
  ] as const) {
    await page.setViewportSize(size);
    await expectNoHorizontalOverflow(page, `${label}-${name}`);
    await screenshot(page, `${label}-${name}`);
  }
}

test('a new account is pointed to the dev mailbox and asked to confirm its email', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const sari = newPerson('Sari', 'Wulandari');
  await page.setViewportSize(VIEWPORTS.desktop);

  await test.step('the check-your-email page links the dev mailbox', async () => {
    await page.goto('/register');
    await page.getByLabel('First name').fill(sari.firstName);
    await page.getByLabel('Last name').fill(sari.lastName);
    await page.getByLabel('Email').fill(sari.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
    const link = page.getByRole('link', { name: 'dev mailbox' });
    // The e2e server runs for one person (RAPAT_DEV_MAILBOX_SHOW_ALL): no sign-in needed.
    await expect(link).toHaveAttribute('href', '/dev/mailbox');
    expect(await seriousViolations(page), 'check your email').toEqual([]);
    await phoneAndDesktop(page, 'words-check-email');
  });

  await test.step('signed in unverified: the dashboard asks to confirm, and resends', async () => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(sari.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const nudge = page.getByRole('region', { name: 'Confirm your email address' });
    await expect(nudge).toContainText(sari.email);
    await expect(nudge.getByRole('link', { name: 'dev mailbox' })).toBeVisible();
    await nudge.getByRole('button', { name: 'Resend verification email' }).click();
    await expect(nudge.getByRole('status').filter({ hasText: 'We sent a new link' })).toHaveText(
      `We sent a new link to ${sari.email}.`,
    );
    await settle(page);
    expect(await seriousViolations(page), 'dashboard with the nudge').toEqual([]);
    await phoneAndDesktop(page, 'words-dashboard-verify-nudge');
  });

  await test.step('once confirmed, the nudge is gone', async () => {
    await page.goto(await linkFromMailbox(request, sari.email, '/verify-email'));
    await expect(page.getByText('Your email is verified')).toBeVisible();
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Confirm your email address' })).toHaveCount(0);
  });
});

test('the room page sets destructive actions apart and asks first, safe choice focused', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await signedInPerson(page, request, newPerson('Tono', 'Saputra'));
  const code = await createRoom(page, request, { name: 'Budget review' });
  const room = await request.get(`/api/v1/rooms/${code}`, {
    headers: { Authorization: `Bearer ${await accessTokenOf(page)}` },
  });
  expect(room.status()).toBe(200);
  await page.goto(`/rooms/${((await room.json()) as { id: string }).id}`);
  await expect(page.getByRole('heading', { name: 'Budget review', level: 1 })).toBeVisible();
  const destructive = page.getByRole('group', { name: 'End, cancel or delete' });
  await expect(destructive.getByRole('button')).toHaveText([
    'End for everyone',
    'Cancel meeting',
    'Delete room',
  ]);
  await settle(page);
  expect(await seriousViolations(page), 'room page').toEqual([]);
  await phoneAndDesktop(page, 'words-room-actions');

  await destructive.getByRole('button', { name: 'Delete room' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this room?' });
  await expect(dialog.getByRole('button', { name: 'Keep room' })).toBeFocused();
  expect(await seriousViolations(page), 'delete dialog').toEqual([]);
  await phoneAndDesktop(page, 'words-room-delete-confirm');
  // Enter on opening takes the safe choice: the room stays.
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Budget review', level: 1 })).toBeVisible();

  await destructive.getByRole('button', { name: 'Cancel meeting' }).click();
  const cancel = page.getByRole('dialog', { name: 'Cancel this meeting?' });
  await expect(cancel.getByRole('button', { name: 'Keep meeting' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(cancel).toHaveCount(0);
  await expect(destructive.getByRole('button', { name: 'Cancel meeting' })).toBeVisible();
});

test('leaving says "You left", with Rejoin and Back to dashboard', async ({ page, request }) => {
  test.setTimeout(90_000);
  await signedInPerson(page, request, newPerson('Wati', 'Kusuma'));
  const code = await createRoom(page, request, { name: 'Standup' });
  await join(page, code);

  await page.getByRole('button', { name: 'Leave meeting' }).click();
  await expect(page.getByRole('heading', { name: 'You left the meeting' })).toBeVisible();
  await expect(page.getByText(/rate/i)).toHaveCount(0); // no control that stores nothing
  await settle(page);
  expect(await seriousViolations(page), 'you left').toEqual([]);
  await phoneAndDesktop(page, 'words-you-left');

  await page.getByRole('button', { name: 'Rejoin' }).click();
  await expect(page.getByLabel('Your camera preview')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Join now' }).click();
  await expect(page.getByRole('toolbar', { name: 'Meeting controls' })).toBeVisible();
  await page.getByRole('button', { name: 'Leave meeting' }).click();
  await page.getByRole('link', { name: 'Back to dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
});
