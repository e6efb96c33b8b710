import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

export const SCREENSHOTS = 'test-results/screenshots';

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 812 },
} as const;

export type ViewportName = keyof typeof VIEWPORTS;

export async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: `${SCREENSHOTS}/${name}.png`,
    fullPage: true,
    animations: 'disabled',
  });
}

/** Nothing may stick out sideways: horizontal scrolling means a broken layout. */
export async function expectNoHorizontalOverflow(page: Page, name: string) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name} overflows horizontally`).toBeLessThanOrEqual(0);
}

/** Screenshots of the page as it is, at phone and desktop width; ends at desktop width. */
export async function screenshotBothWidths(page: Page, name: string) {
  for (const viewport of ['phone', 'desktop'] as const) {
    await page.setViewportSize(VIEWPORTS[viewport]);
    await expectNoHorizontalOverflow(page, `${viewport}-${name}`);
    await screenshot(page, `${viewport}-${name}`);
  }
}
