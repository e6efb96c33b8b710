"""The timeline of a composed recording: which tiles are on the canvas when, where, and
which part of which segment file is shown or heard at each moment. Pure: no files, no
ffmpeg (`compose_filtergraph.py` turns a `Plan` into ffmpeg's filter graph).

How the layout changes over time: the output is cut into intervals in which the set of
tiles is constant (someone joins or leaves, a screen share starts or stops), and each
interval is laid out on its own (`compose_layout.arrange`); within one, tiles stay put. A
segment that spans several intervals is shown as one piece per interval, each scaled to
that interval's tile. The alternative, one overlay per segment at fixed place and size,
cannot move or resize a tile when the meeting's set of people changes, which is what
people expect of a recording (a room filling up, a share taking over the screen).

A person keeps their tile while any of their tracks is published (a camera turned off
shows their name on a dark tile rather than reshuffling everyone); presence gaps under a
second are bridged so that a reconnect does not flicker the layout. A screen share whose
segments have gaps (a static screen sends little) holds its last frame until the next one.
Tile order is by arrival, so nobody's tile jumps when someone else leaves; past
`max_tiles`, the latest comers are heard but not shown (`Plan.hidden_tiles`), screens and
people with a camera going first. Interval bounds are rounded to whole output frames.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from rapat.recording.compose_layout import Rect, arrange, fit
from rapat.recording.compose_request import (
    ComposeError,
    ComposeRequest,
    ComposeTrack,
    PictureSize,
)

BRIDGE = 1.0  # seconds: shorter absences do not change the layout
AUDIO_FRAME = 0.02


@dataclass(frozen=True, slots=True)
class Span:
    start: float  # seconds from the output's start
    end: float


@dataclass(frozen=True, slots=True)
class Placement:
    key: str  # "person:<person>" or "screen:<track index>"
    label: str
    rect: Rect


@dataclass(frozen=True, slots=True)
class Interval:
    span: Span
    placements: tuple[Placement, ...]


@dataclass(frozen=True, slots=True)
class VideoPiece:
    span: Span
    rect: Rect  # the tile
    picture: Rect | None  # where the picture goes in it, when its size is known


@dataclass(frozen=True, slots=True)
class VideoInput:
    path: str
    offset: float  # where the file's first frame falls on the output (may be < 0)
    hold: float  # seconds the last frame stays after the file ends (screen shares)
    pieces: tuple[VideoPiece, ...]


@dataclass(frozen=True, slots=True)
class AudioInput:
    path: str
    offset: float


@dataclass(frozen=True, slots=True)
class NameCard:
    """A person's name, large in their tile, while it shows no video."""

    label: str
    rect: Rect
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Backdrop:
    """A tile's background, while its picture does not fill it."""

    rect: Rect
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    duration: float
    width: int
    height: int
    fps: int
    intervals: tuple[Interval, ...]
    video: tuple[VideoInput, ...]
    audio: tuple[AudioInput, ...]
    cards: tuple[NameCard, ...]
    backdrops: tuple[Backdrop, ...]
    hidden_tiles: int


def merge(spans: Iterable[Span], bridge: float = 0.0) -> list[Span]:
    """The union of spans, gaps up to `bridge` closed."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if span.end <= span.start:
            continue
        if merged and span.start <= merged[-1].end + bridge:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged


def subtract(span: Span, covered: list[Span]) -> list[Span]:
    """The parts of `span` outside the (merged, sorted) `covered` spans."""
    gaps, at = [], span.start
    for part in covered:
        if part.end <= at or part.start >= span.end:
            continue
        if part.start > at:
            gaps.append(Span(at, part.start))
        at = max(at, part.end)
    if at < span.end:
        gaps.append(Span(at, span.end))
    return gaps


class _Timeline:
    """Wall-clock times to output seconds, clipped to the output and rounded to frames."""

    def __init__(self, request: ComposeRequest) -> None:
        self.origin = request.started_at
        self.duration = self.frame(request.stopped_at - request.started_at, request.fps)
        self.fps = request.fps

    @staticmethod
    def frame(seconds: float, fps: int) -> float:
        return round(seconds * fps) / fps

    def span(self, start_wall: float, end_wall: float) -> Span:
        start = min(max(self.frame(start_wall - self.origin, self.fps), 0.0), self.duration)
        end = min(max(self.frame(end_wall - self.origin, self.fps), 0.0), self.duration)
        return Span(start, end)

    def segments(self, track: ComposeTrack) -> list[_Placed]:
        """The track's segments in time order, each with its span on the output."""
        tail = 1 / self.fps if track.kind == "video" else AUDIO_FRAME
        placed = []
        for segment in track.segments:
            start = segment.start_wall_time
            span = self.span(start, start + segment.duration_ms / 1000 + tail)
            placed.append(_Placed(str(segment.path), segment.sizes, span, start - self.origin))
        return sorted(placed, key=lambda item: item.span.start)

    def presence(self, track: ComposeTrack) -> list[Span]:
        if track.published is not None:
            return merge([self.span(*track.published)])
        return merge((item.span for item in self.segments(track)), BRIDGE)


@dataclass(frozen=True, slots=True)
class _Placed:
    path: str
    sizes: tuple[PictureSize, ...]
    span: Span  # clipped to the output
    offset: float  # where the file's first frame falls on the output, unclipped


@dataclass(frozen=True, slots=True)
class _Tile:
    key: str
    label: str
    screen: bool
    has_video: bool
    presence: tuple[Span, ...]

    def present(self, at: float) -> bool:
        return any(span.start <= at < span.end for span in self.presence)


def _tiles(request: ComposeRequest, timeline: _Timeline) -> list[_Tile]:
    people: dict[str, list[ComposeTrack]] = {}
    tiles: list[_Tile] = []
    for index, track in enumerate(request.tracks):
        if track.source == "screen" and track.kind == "video":
            presence = tuple(merge(timeline.presence(track), BRIDGE))
            tiles.append(_Tile(f"screen:{index}", f"{track.label} (screen)", True, True, presence))
        else:
            people.setdefault(track.person, []).append(track)
    for person, tracks in people.items():
        spans = merge((span for track in tracks for span in timeline.presence(track)), BRIDGE)
        has_video = any(track.kind == "video" for track in tracks)
        tiles.append(_Tile(f"person:{person}", tracks[0].label, False, has_video, tuple(spans)))
    tiles = [tile for tile in tiles if tile.presence]
    # Screens, then people with a camera, then the others; each by arrival.
    return sorted(tiles, key=lambda t: (not t.screen, not t.has_video, t.presence[0].start))


def _intervals(
    tiles: list[_Tile], request: ComposeRequest, duration: float
) -> tuple[list[Interval], int]:
    bounds = sorted(
        {0.0, duration, *(b for t in tiles for s in t.presence for b in (s.start, s.end))}
    )
    intervals: list[Interval] = []
    hidden = 0
    for start, end in itertools.pairwise(bounds):
        if end <= start or end > duration:
            continue
        visible = [tile for tile in tiles if tile.present((start + end) / 2)]
        hidden = max(hidden, len(visible) - request.max_tiles)
        visible = visible[: request.max_tiles]
        if intervals and [p.key for p in intervals[-1].placements] == [t.key for t in visible]:
            intervals[-1] = Interval(Span(intervals[-1].span.start, end), intervals[-1].placements)
            continue
        rects = arrange(
            [t.key for t in visible],
            {t.key for t in visible if t.screen},
            request.width,
            request.height,
        )
        placements = tuple(Placement(t.key, t.label, rects[t.key]) for t in visible)
        intervals.append(Interval(Span(start, end), placements))
    return intervals, max(hidden, 0)


def _hold(track: ComposeTrack, timeline: _Timeline, segments: list[_Placed], index: int) -> float:
    """How long a screen share's segment keeps its last frame: until the next segment, or
    the end of the share."""
    if track.source != "screen":
        return 0.0
    if index + 1 < len(segments):
        until = segments[index + 1].span.start
    else:
        until = max((s.end for s in timeline.presence(track)), default=0.0)
    return max(0.0, until - segments[index].span.end)


def _sized(span: Span, tile: Rect, placed: _Placed) -> list[VideoPiece]:
    """The piece, cut where the picture changes size, each part fitted to its own size."""
    if not placed.sizes:
        return [VideoPiece(span, tile, None)]
    pieces = []
    for n, size in enumerate(placed.sizes):
        start = placed.offset + size.at if n else span.start
        end = placed.offset + placed.sizes[n + 1].at if n + 1 < len(placed.sizes) else span.end
        start, end = max(start, span.start), min(end, span.end)
        if end > start:
            pieces.append(VideoPiece(Span(start, end), tile, fit(tile, size.width, size.height)))
    return pieces


def _tile_key(track: ComposeTrack, index: int) -> str:
    return f"screen:{index}" if track.source == "screen" else f"person:{track.person}"


def _video_inputs(
    request: ComposeRequest, timeline: _Timeline, intervals: list[Interval]
) -> list[VideoInput]:
    inputs = []
    for index, track in enumerate(request.tracks):
        if track.kind != "video":
            continue
        key = _tile_key(track, index)
        segments = timeline.segments(track)
        for position, placed in enumerate(segments):
            hold = _hold(track, timeline, segments, position)
            shown = Span(placed.span.start, placed.span.end + hold)
            pieces = []
            for interval in intervals:
                place = next((p for p in interval.placements if p.key == key), None)
                start = max(shown.start, interval.span.start)
                end = min(shown.end, interval.span.end)
                if place is not None and end > start:
                    pieces.extend(_sized(Span(start, end), place.rect, placed))
            if pieces:
                inputs.append(VideoInput(placed.path, placed.offset, hold, tuple(pieces)))
    return inputs


def _fills(piece: VideoPiece) -> bool:
    """The piece's picture covers its tile but for a rounding edge (a 16:9 camera)."""
    picture, tile = piece.picture, piece.rect
    return picture is not None and picture.w >= tile.w - 4 and picture.h >= tile.h - 4


def _cards_and_backdrops(
    video: list[VideoInput], intervals: list[Interval]
) -> tuple[list[NameCard], list[Backdrop]]:
    """A person's name fills their tile wherever no piece of video covers it; a tile's
    background is drawn only while its picture does not fill it (drawing it under a picture
    that covers it cost a third of the filter graph's time). Within an interval each tile
    has its own rect, and pieces never leave their interval."""
    shown: dict[Rect, list[Span]] = {}
    filled: dict[Rect, list[Span]] = {}
    for item in video:
        for piece in item.pieces:
            shown.setdefault(piece.rect, []).append(piece.span)
            if _fills(piece):
                filled.setdefault(piece.rect, []).append(piece.span)
    cards, backdrops = [], []
    for interval in intervals:
        for place in interval.placements:
            bare = subtract(interval.span, merge(filled.get(place.rect, [])))
            if bare:
                backdrops.append(Backdrop(place.rect, tuple(bare)))
            if place.key.startswith("screen:"):
                continue
            gaps = subtract(interval.span, merge(shown.get(place.rect, [])))
            if gaps:
                cards.append(NameCard(place.label, place.rect, tuple(gaps)))
    return cards, backdrops


def plan(request: ComposeRequest) -> Plan:
    """Raises `ComposeError` when there is nothing to compose."""
    if not request.tracks:
        raise ComposeError("the recording has no tracks")
    timeline = _Timeline(request)
    if timeline.duration <= 0:
        raise ComposeError("the recording stopped before it started")
    tiles = _tiles(request, timeline)
    intervals, hidden = _intervals(tiles, request, timeline.duration)
    video = _video_inputs(request, timeline, intervals)
    cards, backdrops = _cards_and_backdrops(video, intervals)
    audio = [
        AudioInput(placed.path, placed.offset)
        for track in request.tracks
        if track.kind == "audio"
        for placed in timeline.segments(track)
        if placed.span.end > placed.span.start
    ]
    return Plan(
        duration=timeline.duration,
        width=request.width,
        height=request.height,
        fps=request.fps,
        intervals=tuple(intervals),
        video=tuple(video),
        audio=tuple(audio),
        cards=tuple(cards),
        backdrops=tuple(backdrops),
        hidden_tiles=hidden,
    )
