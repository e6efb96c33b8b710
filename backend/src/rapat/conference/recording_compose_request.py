"""What the compose step (`recording/composer.py`) is asked to do with one recording, read
from its directory: the manifest's tracks with their people's display names, and their
segments, also those a killed process never listed (their sidecars are on disk).

A recording that was never stopped (the process died) ends where its last segment does.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import structlog

from rapat.conference.recording_manifest import Manifest, TrackEntry
from rapat.recording.compose_request import (
    ComposeRequest,
    ComposeSegment,
    ComposeTrack,
    Container,
    Kind,
    Source,
)
from rapat.recording.sidecar import read_sidecar

log = structlog.get_logger("rapat.conference")

UNNAMED = "Guest"  # a participant the manifest has no name for (it always should)


def _segments(directory: Path, track: TrackEntry) -> tuple[ComposeSegment, ...]:
    listed = {entry.file: entry for entry in track.segments}
    segments = [
        ComposeSegment(directory / entry.file, entry.start_wall_time, entry.duration_ms)
        for entry in track.segments
    ]
    for sidecar in sorted(directory.glob(f"{track.name}-*.json")):
        try:
            info = read_sidecar(sidecar)
        except (OSError, ValueError, TypeError):
            log.warning("compose_sidecar_unreadable", path=str(sidecar))
            continue
        if info.file not in listed:  # still being written when the process died
            segments.append(
                ComposeSegment(directory / info.file, info.start_wall_time, info.duration_ms)
            )
    return tuple(sorted(segments, key=lambda segment: segment.start_wall_time))


def _end(segments: list[ComposeSegment]) -> float | None:
    return max((s.start_wall_time + s.duration_ms / 1000 for s in segments), default=None)


def compose_request(
    directory: Path,
    manifest: Manifest,
    output: Path,
    *,
    container: Container = "mp4",
    width: int = 1280,
    height: int = 720,
    threads: int = 0,
) -> ComposeRequest:
    tracks: list[ComposeTrack] = []
    for entry in manifest.tracks:
        if entry.kind not in ("audio", "video") or entry.source not in (
            "microphone",
            "camera",
            "screen",
        ):
            log.warning(
                "compose_track_unknown", name=entry.name, kind=entry.kind, source=entry.source
            )
            continue
        segments = _segments(directory, entry)
        person = manifest.participants.get(entry.user_id, {})
        closed = entry.closed_at or manifest.stopped_at or _end(list(segments)) or entry.tapped_at
        tracks.append(
            ComposeTrack(
                label=person.get("display_name") or UNNAMED,
                person=entry.user_id,
                kind=cast(Kind, entry.kind),
                source=cast(Source, entry.source),
                segments=segments,
                published=(entry.tapped_at, closed),
            )
        )
    every = [segment for track in tracks for segment in track.segments]
    stopped = manifest.stopped_at or _end(every) or manifest.started_at
    return ComposeRequest(
        tracks=tuple(tracks),
        started_at=manifest.started_at,
        stopped_at=stopped,
        output=output,
        container=container,
        width=width,
        height=height,
        threads=threads,
    )
