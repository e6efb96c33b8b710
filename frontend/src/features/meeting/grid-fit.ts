// The grid that shows n tiles of one aspect ratio as large as a box allows, without scrolling.

export interface GridFit {
  columns: number;
  rows: number;
  /** Each tile's size in CSS pixels. */
  width: number;
  height: number;
}

/**
 * Tries every column count and keeps the one whose tiles are largest: a fixed column count
 * wastes a wide stage (or a tall phone). `gap` is the space between tiles.
 */
export function fitGrid(count: number, width: number, height: number, gap = 8, aspect = 16 / 9) {
  const best: GridFit = { columns: 1, rows: Math.max(1, count), width: 0, height: 0 };
  if (count <= 0 || width <= 0 || height <= 0) {
    return best;
  }
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const cellWidth = (width - gap * (columns - 1)) / columns;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) {
      continue;
    }
    const tileWidth = Math.min(cellWidth, cellHeight * aspect);
    if (tileWidth > best.width) {
      Object.assign(best, {
        columns,
        rows,
        width: Math.floor(tileWidth),
        height: Math.floor(tileWidth / aspect),
      });
    }
  }
  return best;
}
