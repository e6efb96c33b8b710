import type { Page } from '@playwright/test';

// Overlaps on the page as it shows now: two things a person sees or touches that cover each
// other (a tile under the toolbar, a button over another, a toast over a control, a tile
// over a tile). An element and what it contains are one thing, and so are a tile or the
// self-view and the buttons laid over it. What is invisible (opacity 0, no size, sr-only)
// is left out. Toasts may lie over video, never over anything one can press.

const CHECKED =
  'button, a[href], input, select, textarea, [role="slider"], [role="toolbar"], ' +
  '[data-testid="video-tile"], [data-testid="self-view"], [data-testid="toast"]';
const UNITS = '[data-testid="self-view"], [data-testid="video-tile"]';
const OVER_VIDEO = '[data-testid="toast"]';

export interface Overlap {
  a: string;
  b: string;
  area: number;
}

/** Every pair of visible checked elements that overlap by more than a pixel each way. */
export async function overlaps(page: Page): Promise<Overlap[]> {
  return page.evaluate(
    ([selector, units, overVideo]) => {
      const seen = (element: Element) => {
        for (let node: Element | null = element; node; node = node.parentElement) {
          const style = getComputedStyle(node);
          if (style.visibility === 'hidden' || style.display === 'none' || style.opacity === '0') {
            return false;
          }
        }
        const box = element.getBoundingClientRect();
        return box.width > 2 && box.height > 2;
      };
      const name = (element: Element) => {
        const label =
          element.getAttribute('aria-label') ??
          element.getAttribute('data-testid') ??
          element.textContent.trim().slice(0, 30);
        return `${element.tagName.toLowerCase()}[${label}]`;
      };
      const unit = (element: Element) => {
        let outer: Element | null = null;
        for (
          let node = element.closest(units);
          node;
          node = node.parentElement?.closest(units) ?? null
        ) {
          outer = node;
        }
        return outer ?? element;
      };
      const video = (element: Element) => element.matches('[data-testid="video-tile"]');
      const shown = Array.from(document.querySelectorAll(selector)).filter(seen);
      const found: { a: string; b: string; area: number }[] = [];
      for (const [i, a] of shown.entries()) {
        for (const b of shown.slice(i + 1)) {
          if (a.contains(b) || b.contains(a) || unit(a) === unit(b)) {
            continue;
          }
          const over = a.closest(overVideo) ?? b.closest(overVideo);
          if (over && (video(a) || video(b))) {
            continue;
          }
          const ra = a.getBoundingClientRect();
          const rb = b.getBoundingClientRect();
          const width = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
          const height = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
          if (width > 1 && height > 1) {
            found.push({ a: name(a), b: name(b), area: Math.round(width * height) });
          }
        }
      }
      return found;
    },
    [CHECKED, UNITS, OVER_VIDEO] as const,
  );
}
