import type { Page } from '@playwright/test';

/** "YYYY-MM-DD" `days` from today in the browser's time zone, as a date input wants it. */
export function browserDateInDays(page: Page, days: number): Promise<string> {
  return page.evaluate((ahead) => {
    const day = new Date();
    day.setDate(day.getDate() + ahead);
    const pad = (value: number) => String(value).padStart(2, '0');
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  }, days);
}

export function toast(page: Page, text: string) {
  return page.getByRole('status').filter({ hasText: text });
}

/** Before a screenshot: no toasts over the page, no hover, scrolled to the top. */
export async function settle(page: Page) {
  // Toasts also leave by themselves (5 s): a locator click on one that left between the
  // count and the click waits for it until the test times out. Clicked in the page instead,
  // whatever is there at that instant.
  const dismissButtons = page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismissButtons.count()) > 0) {
    await page.evaluate(() => {
      document
        .querySelectorAll<HTMLButtonElement>('button[aria-label="Dismiss notification"]')
        .forEach((button) => {
          button.click();
        });
    });
  }
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    window.scrollTo(0, 0);
  });
}
