"""Feeding packets to a `TrackRecorder` as they would arrive, and reading back what it wrote
with PyAV (decoding every frame)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import av

from rapat.recording.track_recorder import TrackRecorder
from tests.recording_media import Sent

START = 1_800_000_000.0  # the arrival clock of the tests (unix seconds)


def feed(recorder: TrackRecorder, sent: Iterable[Sent], *, offset: float = 0.0) -> None:
    """Packets in arrival order, with the 100 ms tick the owner would run in between."""
    next_tick = None
    for item in sent:
        now = START + offset + item.time
        if next_tick is None:
            next_tick = now + 0.1
        while now >= next_tick:
            recorder.tick(next_tick)
            next_tick += 0.1
        recorder.on_rtp(item.packet, now)


@dataclass
class Decoded:
    codec: str
    pts: list[int]  # of the packets, in ms
    keyframes: list[bool]
    frames: int  # decoded without error
    width: int
    height: int
    sample_rate: int


def decode(path: Path) -> Decoded:
    with av.open(str(path)) as container:
        stream = container.streams[0]
        stream.codec_context.options = {"err_detect": "explode"}  # a damaged frame raises
        pts: list[int] = []
        keyframes: list[bool] = []
        frames = 0
        for packet in container.demux(stream):
            if packet.pts is None:  # the flush packet at the end
                frames += len(packet.decode())
                continue
            pts.append(int(packet.pts * packet.time_base * 1000))
            keyframes.append(packet.is_keyframe)
            frames += len(packet.decode())
        context = stream.codec_context
        return Decoded(
            codec=context.name,
            pts=pts,
            keyframes=keyframes,
            frames=frames,
            width=getattr(context, "width", 0),
            height=getattr(context, "height", 0),
            sample_rate=getattr(context, "sample_rate", 0),
        )
