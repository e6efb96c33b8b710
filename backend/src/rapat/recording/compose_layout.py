"""Where tiles go on the composed canvas: plain geometry, no media.

Without a screen share, tiles are 16:9 cells of a grid centred on the canvas; the grid's
column count is the one that gives the largest cells (a camera of another shape is
letterboxed inside its cell, its aspect kept), and a short last row is centred. With a screen share,
the first screen takes the canvas left of a strip one fifth wide, where the other tiles
(people, further screens) are stacked, 16:9, centred vertically. All sizes and positions
are even, as 4:2:0 video needs."""

from __future__ import annotations

import math
from dataclasses import dataclass

CONTENT_ASPECT = 16 / 9  # what cameras mostly send, and what the grid is sized for
STRIP_SHARE = 5  # the strip beside a screen share is a fifth of the canvas wide


@dataclass(frozen=True, slots=True)
class Rect:
    x: int
    y: int
    w: int
    h: int


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def _gap(width: int) -> int:
    return _even(width / 160)  # 8 px at 1280


def grid_columns(count: int, width: int, height: int) -> int:
    """The column count that shows 16:9 content the largest in `count` cells."""
    gap = _gap(width)

    def picture(columns: int) -> float:
        rows = math.ceil(count / columns)
        cell_w = (width - gap * (columns + 1)) / columns
        cell_h = (height - gap * (rows + 1)) / rows
        return min(cell_w, cell_h * CONTENT_ASPECT)

    return max(range(1, count + 1), key=lambda columns: (picture(columns), -columns))


def grid(count: int, width: int, height: int) -> list[Rect]:
    if count <= 0:
        return []
    gap = _gap(width)
    columns = grid_columns(count, width, height)
    rows = math.ceil(count / columns)
    cell_w = (width - gap * (columns + 1)) / columns
    cell_h = (height - gap * (rows + 1)) / rows
    # Cells are 16:9, as large as fits: no tall tile with a strip of video in its middle.
    cell_w, cell_h = (
        _even(min(cell_w, cell_h * CONTENT_ASPECT)),
        _even(min(cell_h, cell_w / CONTENT_ASPECT)),
    )
    top = (height - rows * cell_h - (rows - 1) * gap) // 2
    rects = []
    for index in range(count):
        row, column = divmod(index, columns)
        in_row = min(columns, count - row * columns)
        left = (width - in_row * cell_w - (in_row - 1) * gap) // 2
        rects.append(
            Rect(
                _even(left + column * (cell_w + gap)),
                _even(top + row * (cell_h + gap)),
                cell_w,
                cell_h,
            )
        )
    return rects


def with_screen(others: int, width: int, height: int) -> tuple[Rect, list[Rect]]:
    """The screen's place, and the strip's tiles for `others` more."""
    if others == 0:
        return Rect(0, 0, width, height), []
    gap = _gap(width)
    strip_w = _even(width / STRIP_SHARE)
    screen = Rect(0, 0, _even(width - strip_w - gap), height)
    tile_w = _even(strip_w - gap)
    tile_h = _even(min((height - gap * (others + 1)) / others, tile_w / CONTENT_ASPECT))
    if tile_h < tile_w / CONTENT_ASPECT:  # many people: narrower tiles keep them 16:9
        tile_w = _even(tile_h * CONTENT_ASPECT)
    left = screen.w + gap + (strip_w - tile_w) // 2
    top = (height - others * tile_h - (others - 1) * gap) // 2
    tiles = [
        Rect(_even(left), _even(top + i * (tile_h + gap)), tile_w, tile_h) for i in range(others)
    ]
    return screen, tiles


def arrange(keys: list[str], screens: set[str], width: int, height: int) -> dict[str, Rect]:
    """Places tiles in the given order; the first key in `screens` is shown large."""
    screen = next((key for key in keys if key in screens), None)
    if screen is None:
        return dict(zip(keys, grid(len(keys), width, height), strict=True))
    others = [key for key in keys if key != screen]
    large, strip = with_screen(len(others), width, height)
    return {screen: large, **dict(zip(others, strip, strict=True))}


def fit(tile: Rect, width: int, height: int) -> Rect:
    """A picture of `width` x `height` scaled into `tile`, aspect kept, centred."""
    scale = min(tile.w / width, tile.h / height)
    w, h = _even(width * scale), _even(height * scale)
    return Rect(tile.x + (tile.w - w) // 4 * 2, tile.y + (tile.h - h) // 4 * 2, w, h)
