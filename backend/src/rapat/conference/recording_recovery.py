"""Recordings a dead process left behind, finished at start-up.

A process killed mid-recording leaves playable files (decision 48) and a manifest that
still says "recording" and lacks the segments being written then; their sidecars lie
beside them. `finalize_manifest` lists those segments, marks the recording stopped as
`interrupted` at the last moment anything was written, and the ledger queues its compose
like any other stop. Recordings queued or stuck composing are queued again.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from rapat.conference.recording_manifest import (
    MANIFEST_NAME,
    Manifest,
    SegmentEntry,
    read_manifest,
    write_manifest,
)
from rapat.observability.logging import get_logger
from rapat.recording.capture_lock import held_by_a_live_process
from rapat.recording.sidecar import read_sidecar
from rapat.services.recording_ledger import RecordingLedger

_log = get_logger("rapat.recordings")

INTERRUPTED = "interrupted"


def _segments_on_disk(directory: Path, name: str) -> list[SegmentEntry]:
    entries = []
    for sidecar in sorted(directory.glob(f"{name}-[0-9][0-9][0-9][0-9].json")):
        try:
            info = read_sidecar(sidecar)
        except (OSError, ValueError, TypeError) as error:
            _log.warning("recording_sidecar_unreadable", path=str(sidecar), error=str(error))
            continue
        if (directory / info.file).is_file():
            entries.append(SegmentEntry.of(info))
    return entries


def finalize_manifest(directory: Path, now: float | None = None) -> Manifest:
    """Complete the manifest of an interrupted recording from what is on disk."""
    manifest = read_manifest(directory)
    last_written = manifest.started_at
    for track in manifest.tracks:
        listed = {segment.file for segment in track.segments}
        for entry in _segments_on_disk(directory, track.name):
            if entry.file not in listed:
                track.segments.append(entry)
        track.segments.sort(key=lambda segment: segment.file)
        for segment in track.segments:
            end = segment.start_wall_time + segment.duration_ms / 1000
            last_written = max(last_written, end)
            # The file itself may hold more than its sidecar last said.
            media = directory / segment.file
            if media.is_file():
                last_written = max(last_written, media.stat().st_mtime)
        if track.closed_at is None:
            track.closed_at = last_written
    if manifest.status == "recording":
        manifest.status = "stopped"
        manifest.stop_reason = INTERRUPTED
        manifest.stopped_at = min(last_written, now if now is not None else time.time())
    write_manifest(directory, manifest)
    return manifest


async def recover_recordings(ledger: RecordingLedger) -> int:
    """Finish what a dead process left; returns how many recordings were queued again."""
    capturing, queued = await ledger.left_behind()
    for row in capturing:
        if row.raw_directory is None or not await asyncio.to_thread(Path(row.raw_directory).is_dir):
            continue  # another node's (each node keeps its own data directory)
        directory = Path(row.raw_directory)
        if await asyncio.to_thread(held_by_a_live_process, directory):
            continue  # another process on this data directory is recording it now
        if not await asyncio.to_thread((directory / MANIFEST_NAME).is_file):
            await ledger.finish(
                row.id, reason=INTERRUPTED, error="recording_files_missing", participants={}
            )
            continue
        manifest = await asyncio.to_thread(finalize_manifest, directory)
        await ledger.finish(
            row.id,
            reason=manifest.stop_reason or INTERRUPTED,
            error=manifest.error,
            participants=manifest.participants,
            stopped_at=manifest.stopped_at,
        )
        _log.info("recording_recovered", recording_id=str(row.id), tracks=len(manifest.tracks))
    for recording_id in queued:
        await ledger.queue_compose(recording_id)
    return len(capturing) + len(queued)
