import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { newPerson, signedInPerson } from './support/accounts';
import { Crowd } from './support/crowd';
import { createRoom, join } from './support/meeting';
import { overlaps } from './support/overlap';
import { screenshot } from './support/screenshots';

// The meeting at a phone's, a tablet's and a laptop's size with 1, 2, 4 and 9 people: every
// tile on screen, nothing scrolls, and nothing overlaps anything else (issue 25). The other
// people are accounts with a signaling socket and no media (support/crowd.ts): their tiles
// show initials, which take the same space as video.

const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  tablet: { width: 768, height: 1024 },
  laptop: { width: 1366, height: 768 },
} as const;

const COUNTS = [1, 2, 4, 9] as const;

async function checkAt(page: Page, people: number) {
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    // the people panel is closed; on a laptop the chat sits beside the stage
    const chat = page.getByRole('button', { name: /^Chat/ });
    const wantChat = label === 'laptop';
    if ((await chat.getAttribute('aria-pressed')) !== String(wantChat)) {
      // below laptop width the chat covers the screen and has its own close button
      const close = page.getByRole('button', { name: 'Close chat' });
      await ((await close.isVisible()) ? close : chat).click();
    }
    const name = `layout-${label}-${people}`;
    await expect(page.getByTestId('people-count')).toContainText(String(people));
    await expect(page.getByTestId('video-tile')).toHaveCount(people);
    const scroll = await page.evaluate(() => [
      document.documentElement.scrollWidth - innerWidth,
      document.documentElement.scrollHeight - innerHeight,
    ]);
    expect(scroll, `${name} scrolls`).toEqual([0, 0]);
    for (const tile of await page.getByTestId('video-tile').all()) {
      await expect(tile, `${name}: a tile off screen`).toBeInViewport({ ratio: 1 });
    }
    await screenshot(page, name);
    expect(await overlaps(page), name).toEqual([]);
  }
}

test('the stage fits 1, 2, 4 and 9 people at phone, tablet and laptop size', async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  await signedInPerson(page, request, newPerson('Wulan', 'Sari'));
  await page.setViewportSize(VIEWPORTS.laptop);
  const code = await createRoom(page, request, { name: 'All hands' });
  await join(page, code);
  const crowd = await Crowd.open(browser);
  let here = 1;
  for (const people of COUNTS) {
    await crowd.add(request, code, people - here);
    here = people;
    await test.step(`${people} ${people === 1 ? 'person' : 'people'}`, async () => {
      await checkAt(page, people);
    });
  }
  await crowd.close();
});
