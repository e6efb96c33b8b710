"""Which simulcast layer one subscriber gets of one video: the best its screen can use that
its share of the bandwidth carries.

The size a tile is shown at (in device pixels, as the client reports it) picks the
smallest layer that covers it (a little upscaling is allowed: a 640-wide layer serves a
700-wide tile); without a reported size the top layer is wanted. The bandwidth then caps
it: the highest layer at or below that one whose measured bitrate fits the subscriber's
budget for this video, else the lowest layer (a small picture beats none). A layer above
the one forwarded must fit with room to spare (`UP_MARGIN`): a layer whose bitrate hovers
at the budget would otherwise be switched to and from each second, each time for a
keyframe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

UPSCALE = 1.15  # how much larger than a layer a tile may be and still be served by it
UP_MARGIN = 0.85  # the share of the budget a layer above the current one may take


@dataclass(frozen=True, slots=True)
class LayerView:
    """What the SFU knows of one layer: its bitrate over the last second (bits/s), the
    picture size its last keyframe stated (0 while unknown), whether it arrives now."""

    bitrate: int
    width: int = 0
    height: int = 0
    active: bool = True


def covers(layer: LayerView, tile: tuple[int, int]) -> bool:
    """The layer's picture is large enough for a tile of `tile` (width, height)."""
    if not layer.width or not layer.height:
        return False
    return layer.width * UPSCALE >= tile[0] and layer.height * UPSCALE >= tile[1]


def choose_layer(
    layers: Sequence[LayerView],
    budget: int | None,
    tile: tuple[int, int] | None,
    current: int | None = None,
) -> int | None:
    """The index of the layer to forward (layers ordered low to high), or None when no
    layer arrives (keep whatever is forwarded). `budget`: bits/s this video may take, None
    while the subscriber has not reported; `tile`: the shown size, None when unknown;
    `current`: the layer forwarded now, if any."""
    active = [index for index, layer in enumerate(layers) if layer.active]
    if not active:
        return None
    wanted = active[-1]
    if tile is not None and tile[0] > 0 and tile[1] > 0:
        wanted = next((index for index in active if covers(layers[index], tile)), active[-1])
    if budget is None:
        return wanted
    floor = -1 if current is None else current
    fitting = [
        index
        for index in active
        if index <= wanted
        and layers[index].bitrate <= (budget if index <= floor else budget * UP_MARGIN)
    ]
    return fitting[-1] if fitting else active[0]
