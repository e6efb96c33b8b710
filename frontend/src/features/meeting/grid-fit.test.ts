import { describe, expect, it } from 'vitest';
import { fitBeside, fitGrid } from './grid-fit';

describe('fitGrid', () => {
  it('fills a wide stage with side-by-side tiles and a tall phone with stacked ones', () => {
    expect(fitGrid(2, 1200, 500, 8)).toMatchObject({ columns: 2, rows: 1 });
    expect(fitGrid(2, 360, 640, 8)).toMatchObject({ columns: 1, rows: 2 });
    expect(fitGrid(4, 1200, 700, 8)).toMatchObject({ columns: 2, rows: 2 });
    expect(fitGrid(9, 1300, 700, 8)).toMatchObject({ columns: 3, rows: 3 });
  });

  it('never overflows the box, whatever the count', () => {
    for (const [width, height] of [
      [1366, 600],
      [390, 600],
      [768, 850],
    ] as const) {
      for (let count = 1; count <= 25; count++) {
        const fit = fitGrid(count, width, height, 8);
        expect(fit.columns * fit.rows).toBeGreaterThanOrEqual(count);
        expect(fit.columns * fit.width + 8 * (fit.columns - 1)).toBeLessThanOrEqual(width);
        expect(fit.rows * fit.height + 8 * (fit.rows - 1)).toBeLessThanOrEqual(height);
        expect(fit.width).toBeGreaterThan(0);
      }
    }
  });

  it('gives nothing for an empty or unmeasured box', () => {
    expect(fitGrid(3, 0, 500).width).toBe(0);
    expect(fitGrid(0, 800, 500).width).toBe(0);
  });
});

describe('fitBeside', () => {
  it('keeps the tiles out of the self-view’s corner, on the side that costs least', () => {
    const box = { width: 224, height: 126, top: false, left: false };
    // a wide laptop stage with one tile: the lane runs down the right side
    const wide = fitBeside(1, 946, 532, box);
    expect(wide.lane).toEqual({ top: 0, right: 240, bottom: 0, left: 0 });
    expect(wide.fit.width).toBeLessThanOrEqual(946 - 240);
    // a tall phone stage: the lane runs along the bottom, or the top when it sits there
    const phone = { width: 128, height: 72, top: true, left: false };
    const tall = fitBeside(4, 374, 640, phone);
    expect(tall.lane).toEqual({ top: 88, right: 0, bottom: 0, left: 0 });
    expect(tall.fit.rows * tall.fit.height + 8 * (tall.fit.rows - 1)).toBeLessThanOrEqual(640 - 88);
  });
});
