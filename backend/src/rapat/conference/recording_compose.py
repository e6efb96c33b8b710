"""The compose job's work: one stopped recording's raw tracks become one video in the
recording store.

Claimed through the ledger (only a queued recording is composed, so a repeated job does
nothing), composed next to the raw tracks with ffmpeg (`recording/composer.py`), stored,
then announced. A recording that cannot be composed (no usable track, ffmpeg failing)
is marked failed with the reason, and a host may retry it; a store that cannot take the
file puts the recording back in the queue and fails the job, which the job system tries
again later. The raw tracks are removed once the composed file is stored, unless the
configuration keeps them.
"""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from rapat.conference.recording_compose_request import compose_request
from rapat.conference.recording_manifest import read_manifest
from rapat.observability.logging import get_logger
from rapat.recording.compose_request import CONTENT_TYPES, ComposeError
from rapat.recording.composer import compose
from rapat.recording.store import RecordingStore, RecordingStoreError
from rapat.services.recording_ledger import ComposeTicket, RecordingLedger

_log = get_logger("rapat.recordings")

PROGRESS_EVERY = 1.0  # seconds between progress writes


@dataclass(frozen=True, slots=True)
class ComposeSettings:
    width: int = 1280
    height: int = 720
    threads: int = 0  # ffmpeg's choice
    keep_raw: bool = False


def storage_key(ticket: ComposeTicket) -> str:
    return f"{ticket.room_id}/{ticket.recording_id}/recording.{ticket.container}"


class RecordingComposer:
    def __init__(
        self, ledger: RecordingLedger, store: RecordingStore, settings: ComposeSettings
    ) -> None:
        self._ledger = ledger
        self._store = store
        self._settings = settings

    async def run(self, recording_id: uuid.UUID) -> bool:
        """Compose the recording if it is queued; True when it is ready now."""
        ticket = await self._ledger.claim(recording_id)
        if ticket is None:
            return False
        _log.info(
            "recording_compose_started", recording_id=str(recording_id), attempt=ticket.attempt
        )
        started = time.monotonic()
        output = ticket.raw_directory / f"composed.{ticket.container}"
        try:
            manifest = await asyncio.to_thread(read_manifest, ticket.raw_directory)
            request = compose_request(
                ticket.raw_directory,
                manifest,
                output,
                container="webm" if ticket.container == "webm" else "mp4",
                width=self._settings.width,
                height=self._settings.height,
                threads=self._settings.threads,
            )
            result = await compose(request, self._progress(recording_id))
        except (OSError, ValueError, KeyError) as error:
            await self._ledger.failed(recording_id, f"recording_files_unreadable: {error}")
            return False
        except ComposeError as error:
            await self._ledger.failed(recording_id, str(error))
            return False
        key = storage_key(ticket)
        try:
            stored = await self._store.put_file(key, output, CONTENT_TYPES[ticket.container])
        except RecordingStoreError:
            await self._ledger.requeue(recording_id)
            raise
        await self._ledger.ready(
            recording_id, storage_key=key, size_bytes=stored.size, duration_ms=result.duration_ms
        )
        _log.info(
            "recording_composed",
            recording_id=str(recording_id),
            seconds=round(time.monotonic() - started, 1),
            duration_ms=result.duration_ms,
            size_bytes=stored.size,
            skipped=len(result.skipped),
        )
        await self._tidy(recording_id, ticket.raw_directory, output)
        return True

    def _progress(self, recording_id: uuid.UUID) -> Callable[[float], Awaitable[None]]:
        """Progress written at most once a second, and only when the percent moved."""
        last_at, last_percent = 0.0, -1

        async def report(fraction: float) -> None:
            nonlocal last_at, last_percent
            percent, now = int(fraction * 100), time.monotonic()
            if percent != last_percent and now - last_at >= PROGRESS_EVERY:
                last_at, last_percent = now, percent
                await self._ledger.progress(recording_id, percent)

        return report

    async def _tidy(self, recording_id: uuid.UUID, directory: Path, output: Path) -> None:
        await asyncio.to_thread(output.unlink, True)
        if self._settings.keep_raw:
            return
        await asyncio.to_thread(shutil.rmtree, directory, True)
        await self._ledger.raw_removed(recording_id)
