import type { Page } from '@playwright/test';

// How long each remote video on a page went without a new frame, watched every 50 ms
// (its count of decoded frames not moving), keyed by the tile's caption: a figure for how long a
// move between processes leaves people without media. Measured, not asserted: timing
// targets live in benchmarks; the tests print it.

interface StallWatch {
  seen: Record<string, number>;
  since: Record<string, number>;
  longest: Record<string, number>;
  timer: number;
}

type Watched = Window & { rapatStalls?: StallWatch };

export async function watchVideoStalls(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state: StallWatch = { seen: {}, since: {}, longest: {}, timer: 0 };
    state.timer = window.setInterval(() => {
      const now = performance.now();
      const tiles = Array.from(
        document.querySelectorAll<HTMLElement>('[data-testid="video-tile"]'),
      );
      for (const tile of tiles) {
        const name = tile.querySelector('figcaption')?.textContent ?? '';
        if (name.includes('(you)')) continue;
        // frames decoded, not currentTime: a stream's clock runs on over a frozen picture
        const time = tile.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? -1;
        if (state.seen[name] !== time) {
          state.seen[name] = time;
          state.since[name] = now;
        }
        state.longest[name] = Math.max(state.longest[name] ?? 0, now - (state.since[name] ?? now));
      }
    }, 50);
    (window as Watched).rapatStalls = state;
  });
}

/** The longest stall of any remote video since `watchVideoStalls`, in milliseconds. */
export async function longestVideoStall(page: Page): Promise<number> {
  return page.evaluate(() => {
    const state = (window as Watched).rapatStalls;
    if (!state) return Number.NaN;
    window.clearInterval(state.timer);
    return Math.max(0, ...Object.values(state.longest));
  });
}
