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

/** Space kept free along one side of the stage, in CSS pixels. */
export interface Lane {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * The grid beside a box in one corner (the self-view): the tiles keep out of a lane along
 * the bottom or top (the box's height) or along the side (its width), whichever leaves the
 * larger tiles. `margin` is the box's distance from the edges, kept free as well.
 */
export function fitBeside(
  count: number,
  width: number,
  height: number,
  box: { width: number; height: number; top: boolean; left: boolean },
  gap = 8,
  margin = 8,
): { fit: GridFit; lane: Lane } {
  const across = box.height + margin + gap;
  const along = box.width + margin + gap;
  const below = fitGrid(count, width, height - across, gap);
  const beside = fitGrid(count, width - along, height, gap);
  const lane: Lane = { top: 0, right: 0, bottom: 0, left: 0 };
  if (below.width >= beside.width) {
    lane[box.top ? 'top' : 'bottom'] = across;
    return { fit: below, lane };
  }
  lane[box.left ? 'left' : 'right'] = along;
  return { fit: beside, lane };
}
