"""Reading a composed file back for the compose tests: the colour at a point of a frame,
and how strong a tone is in a stretch of the mixed audio."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import av

Pixel = tuple[int, int, int]


def frames_at(path: Path, times: list[float]) -> dict[float, av.VideoFrame]:
    """The first decoded frame at or after each time (seconds), as RGB."""
    wanted = sorted(times)
    found: dict[float, av.VideoFrame] = {}
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            while wanted and frame.time is not None and frame.time >= wanted[0] - 1e-6:
                found[wanted.pop(0)] = frame.reformat(format="rgb24")
            if not wanted:
                break
    return found


def pixel(frame: av.VideoFrame, x: int, y: int) -> Pixel:
    plane = frame.planes[0]
    offset = y * plane.line_size + x * 3
    r, g, b = bytes(plane)[offset : offset + 3]
    return r, g, b


def near(colour: Pixel, expected: Pixel, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def grid_points(frame: av.VideoFrame, step: int = 16) -> Iterator[Pixel]:
    for y in range(0, frame.height, step):
        for x in range(0, frame.width, step):
            yield pixel(frame, x, y)


def mono(path: Path) -> tuple[list[float], int]:
    """The audio, channels averaged, and its sample rate."""
    samples: list[float] = []
    rate = 0
    resampler = av.AudioResampler(format="flt", layout="mono")
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            rate = frame.sample_rate
            for plain in resampler.resample(frame):
                data = bytes(plain.planes[0])[: plain.samples * 4]
                samples.extend(memoryview(data).cast("f").tolist())
    return samples, rate


def tone_share(samples: list[float], rate: int, start: float, end: float, hz: float) -> float:
    """The share of a stretch's energy at `hz` (Goertzel: one bin of the DFT)."""
    part = samples[int(start * rate) : int(end * rate)]
    if not part:
        return 0.0
    coefficient = 2 * math.cos(2 * math.pi * hz / rate)
    previous = before = 0.0
    for value in part:
        previous, before = value + coefficient * previous - before, previous
    power = previous**2 + before**2 - coefficient * previous * before
    energy = sum(value * value for value in part)
    return 2 * power / (len(part) * energy) if energy else 0.0
