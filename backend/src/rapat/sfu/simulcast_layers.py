"""The layers of a simulcast video as the SFU receives them: which SSRC is which layer, and
each layer's bitrate over the last second, last keyframe and picture size.

Layers are numbered low to high, in the order the client listed its rids. A layer counts as
active while packets arrived in the last `STALE` seconds (a browser stops sending a layer
its encoder drops, for want of uplink or CPU).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aiortc.rtp import RtpPacket

from rapat.codecs.picture_size import keyframe_size
from rapat.sfu.layer_choice import LayerView

WINDOW = 1.0  # seconds a bitrate is measured over
STALE = 1.5

RidLookup = Callable[[int], "str | None"]


@dataclass
class Layer:
    rid: str
    index: int
    ssrc: int | None = None
    bitrate: int = 0  # bits/s over the last full window
    width: int = 0  # as its last keyframe stated
    height: int = 0
    last_keyframe: float | None = None
    last_packet: float = 0.0
    packets: int = 0
    _window_start: float | None = field(default=None, repr=False)
    _window_bytes: int = field(default=0, repr=False)

    def count(self, packet: RtpPacket, mime_type: str, now: float) -> bool:
        """One packet of the layer; True when a bitrate window closed with it."""
        self.packets += 1
        self.last_packet = now
        self._window_bytes += len(packet.payload) + 12
        size = keyframe_size(mime_type, packet.payload)
        if size is not None:
            self.width, self.height = size
            self.last_keyframe = now
        start = self._window_start
        if start is None:
            self._window_start = now
            return False
        if now - start < WINDOW:
            return False
        self.bitrate = int(self._window_bytes * 8 / (now - start))
        self._window_start, self._window_bytes = now, 0
        return True

    def view(self, now: float) -> LayerView:
        return LayerView(self.bitrate, self.width, self.height, now - self.last_packet < STALE)


class SimulcastLayers:
    def __init__(self, rids: tuple[str, ...], rid_of: RidLookup | None = None) -> None:
        self.layers = [Layer(rid, index) for index, rid in enumerate(rids)]
        self._by_rid = {layer.rid: layer for layer in self.layers}
        self._by_ssrc: dict[int, Layer] = {}
        self.rid_of = rid_of  # the receiver's: which rid an SSRC carries

    def of(self, ssrc: int) -> Layer | None:
        """The layer an SSRC carries (None: not learnt yet, or not a layer)."""
        layer = self._by_ssrc.get(ssrc)
        if layer is None and self.rid_of is not None:
            rid = self.rid_of(ssrc)
            layer = self._by_rid.get(rid) if rid is not None else None
            if layer is not None:
                layer.ssrc = ssrc
                self._by_ssrc[ssrc] = layer
        return layer

    def views(self, now: float) -> list[LayerView]:
        return [layer.view(now) for layer in self.layers]

    @property
    def top(self) -> int:
        return len(self.layers) - 1
