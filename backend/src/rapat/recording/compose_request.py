"""What the compose step takes and gives back: one recording described as plain data
(tracks of segment files with their wall-clock times), so that it needs nothing of rooms,
people or settings. The conference layer builds a `ComposeRequest` from a recording's
manifest (`conference/recording_compose_request.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["audio", "video"]
Source = Literal["microphone", "camera", "screen"]
Container = Literal["mp4", "webm"]  # mp4: H.264 and AAC; webm: VP8 and Opus
CONTENT_TYPES: dict[str, str] = {"mp4": "video/mp4", "webm": "video/webm"}  # by container


class ComposeError(Exception):
    """The recording cannot be composed: nothing to compose, or ffmpeg failed (the message
    then ends with ffmpeg's last lines on stderr)."""


@dataclass(frozen=True, slots=True)
class PictureSize:
    at: float  # seconds from the file's first frame
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ComposeSegment:
    path: Path
    start_wall_time: float  # Unix time of the first frame
    duration_ms: int  # the last frame's timestamp
    # Video: the picture size from each keyframe that changed it. The composer reads them
    # from the file (callers leave this empty); without them a tile is fitted to the
    # first frame's shape, and a later change of shape would be stretched into it.
    sizes: tuple[PictureSize, ...] = ()


@dataclass(frozen=True, slots=True)
class ComposeTrack:
    label: str  # the name shown under the tile
    person: str  # groups one person's tracks into one tile
    kind: Kind
    source: Source
    segments: tuple[ComposeSegment, ...]
    # Unix times the track was published (tapped, closed); None: its segments stand in.
    # A person keeps a tile while any of their tracks is published, camera off or not.
    published: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class ComposeRequest:
    tracks: tuple[ComposeTrack, ...]
    started_at: float  # Unix time of the output's first frame
    stopped_at: float  # and of its end: the output lasts stopped_at - started_at
    output: Path
    container: Container = "mp4"
    width: int = 1280
    height: int = 720
    fps: int = 25
    max_tiles: int = 16  # more people at once are heard but not shown (the latest comers)
    threads: int = 0  # ffmpeg's encoder and filter threads; 0 lets ffmpeg choose
    font: Path | None = None  # None: the first font of `compose_filtergraph.FONTS` found
    ffmpeg: str = "ffmpeg"


@dataclass(frozen=True, slots=True)
class ComposeResult:
    output: Path
    duration_ms: int  # as read back from the written file
    size_bytes: int
    skipped: tuple[Path, ...]  # segment files missing, empty or unreadable
    hidden_tiles: int  # the most tiles left out of the layout at one time (over max_tiles)
