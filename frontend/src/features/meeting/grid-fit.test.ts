import { describe, expect, it } from 'vitest';
import { fitGrid } from './grid-fit';

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
