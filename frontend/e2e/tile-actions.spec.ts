import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { seriousViolations } from './support/axe';
import { newPerson, signedInPerson } from './support/accounts';
import { createRoom, join } from './support/meeting';
import { screenshot } from './support/screenshots';

// A tile's menu (decision 69): pin for me, spotlight for everyone (late joiners see it
// too), mute and remove (hosts and moderators), volume for me; by mouse, keyboard and a
// long press / right click.

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

const tileOf = (page: Page, name: string) =>
  page.getByTestId('video-tile').filter({ has: page.getByText(name, { exact: true }) });

const mainTile = (page: Page) => page.getByTestId('main-view').getByTestId('video-tile');

/** Presses Tab until the named element has the focus (keyboard only, as a person would). */
async function tabTo(page: Page, label: string) {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    if (focused === label) {
      return;
    }
  }
  throw new Error(`Tab never reached ${label}`);
}

test('tile actions: pin, spotlight for everyone, volume, mute and remove', async ({
  page: host,
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  await signedInPerson(host, request, newPerson('Ratna', 'Dewi'));
  await host.setViewportSize(LAPTOP);
  const code = await createRoom(host, request, {
    name: 'Design review',
    settings: { media_mode: 'sfu' },
  });
  await join(host, code);
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await signedInPerson(guest, request, newPerson('Agus', 'Salim'));
  await guest.setViewportSize(PHONE);
  await join(guest, code);
  await expect(tileOf(host, 'Agus Salim')).toBeVisible();

  await test.step('by keyboard: the menu opens, pins for me only, and Escape closes it', async () => {
    await host.locator('body').click({ position: { x: 5, y: 5 } });
    await tabTo(host, 'Options for Agus Salim');
    await host.keyboard.press('Enter');
    const menu = host.getByRole('dialog', { name: 'Options for Agus Salim' });
    await expect(menu.getByRole('button', { name: 'Pin for me' })).toBeFocused();
    expect(await seriousViolations(host), 'tile menu open').toEqual([]);
    await screenshot(host, 'laptop-tile-menu');
    await host.keyboard.press('Enter');
    await expect(menu).toHaveCount(0);
    await expect(mainTile(host)).toContainText('Pinned');
    await expect(mainTile(host)).toContainText('Agus Salim');
    await tabTo(host, 'Options for Agus Salim');
    await host.keyboard.press('Enter');
    await host.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    await expect(host.getByRole('button', { name: 'Options for Agus Salim' })).toBeFocused();
  });

  await test.step('volume for me lowers only that person’s sound here', async () => {
    await tileOf(host, 'Agus Salim').hover();
    await host.getByRole('button', { name: 'Options for Agus Salim' }).click();
    const slider = host.getByRole('slider', { name: 'Volume of Agus Salim' });
    await slider.fill('30');
    await expect
      .poll(() =>
        host.evaluate(() => Array.from(document.querySelectorAll('audio'), (a) => a.volume)),
      )
      .toContain(0.3);
    await host.keyboard.press('Escape');
  });

  await test.step('spotlight for everyone: a late joiner sees it too', async () => {
    await tileOf(host, 'Agus Salim').click({ button: 'right' });
    await host.getByRole('button', { name: 'Spotlight for everyone' }).click();
    const lateContext = await browser.newContext();
    const late = await lateContext.newPage();
    await signedInPerson(late, request, newPerson('Nur', 'Hidayah'));
    await late.setViewportSize(PHONE);
    await join(late, code);
    await expect(mainTile(late)).toContainText('Agus Salim');
    await expect(mainTile(late)).toContainText('Spotlight');
    // a participant's menu has no spotlight, mute or remove
    await tileOf(late, 'Agus Salim').click({ button: 'right' });
    const menu = late.getByRole('dialog', { name: 'Options for Agus Salim' });
    await expect(menu.getByRole('button', { name: 'Pin for me' })).toBeVisible();
    await expect(
      menu.getByRole('button', { name: /Spotlight|Mute for everyone|Remove/ }),
    ).toHaveCount(0);
    await screenshot(late, 'phone-tile-menu');
    await late.keyboard.press('Escape');
    await lateContext.close();
  });

  await test.step('the host mutes, then removes after confirming', async () => {
    await tileOf(host, 'Agus Salim').click({ button: 'right' });
    await host.getByRole('button', { name: 'Mute for everyone' }).click();
    await expect(guest.getByRole('button', { name: 'Unmute' })).toBeVisible();
    await tileOf(host, 'Agus Salim').click({ button: 'right' });
    await host.getByRole('button', { name: 'Remove from meeting' }).click();
    const dialog = host.getByRole('dialog', { name: 'Remove Agus Salim?' });
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect(
      guest.getByRole('heading', { name: 'You were removed from the meeting' }),
    ).toBeVisible();
  });
  await guestContext.close();
});
