"""Where each recording stands, written as the system: the capture starting and stopping
(from the conference), and the compose job claiming, advancing and finishing it.

A recording's row moves recording → queued → composing → ready, or to failed from the
compose (a host may queue it again). The compose job is queued when the capture stops, and
again at start-up for recordings a dead process left behind (`recover`), so a stop is
never lost: the job claims a row only while it is queued, so a second copy does nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.observability.logging import get_logger
from rapat.services.job_queue import COMPOSE_RECORDING, JobQueue
from rapat.services.room_event_sink import RECORDING_READY, RoomEventSink
from rapat.storage.models import Recording, Room
from rapat.storage.repositories import recordings as recording_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork

_log = get_logger("rapat.recordings")

# A compose whose row has not moved for this long belongs to a process that died.
STALE_COMPOSE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class ComposeTicket:
    """What the compose job needs of a recording it claimed."""

    recording_id: uuid.UUID
    room_id: uuid.UUID
    raw_directory: Path
    container: str
    attempt: int


def _moment(unix_time: float) -> datetime:
    return datetime.fromtimestamp(unix_time, UTC)


class RecordingLedger:
    def __init__(
        self,
        system_sessions: async_sessionmaker[AsyncSession],
        queue: JobQueue,
        events: RoomEventSink,
        public_url: str,
        *,
        container: str = "mp4",
    ) -> None:
        self._sessions = system_sessions
        self._queue = queue
        self._events = events
        self._public_url = public_url.rstrip("/")
        self._container = container

    # --- the capture ---------------------------------------------------------------------

    async def begin(
        self,
        room_id: uuid.UUID,
        recording_id: uuid.UUID,
        started_by: uuid.UUID,
        started_at: float,
        raw_directory: Path,
    ) -> None:
        """The row exists before the first packet is written: a recording nobody can find
        never happens."""
        async with UnitOfWork(self._sessions) as uow:
            uow.session.add(
                Recording(
                    id=recording_id,
                    room_id=room_id,
                    started_by=started_by,
                    started_at=_moment(started_at),
                    raw_directory=str(raw_directory),
                    container=self._container,
                )
            )

    async def abandon(self, recording_id: uuid.UUID) -> None:
        """A recording listed but never started (another began first): no trace of it."""
        async with UnitOfWork(self._sessions) as uow:
            row = await recording_rows.get(uow.session, recording_id, lock=True)
            if row is not None and row.status == "recording":
                await uow.session.delete(row)

    async def finish(
        self,
        recording_id: uuid.UUID,
        *,
        reason: str,
        error: str | None,
        participants: dict[str, dict[str, str]],
        stopped_at: float | None = None,
    ) -> None:
        """The capture stopped (asked, the room emptied, the disk failed, the process
        died): keep why, and queue the compose of what was written."""
        async with UnitOfWork(self._sessions) as uow:
            row = await recording_rows.get(uow.session, recording_id, lock=True)
            if row is None or row.status != "recording":
                return
            row.status = "queued"
            row.stopped_at = _moment(stopped_at) if stopped_at is not None else utcnow()
            row.stop_reason = reason
            row.error = error
            row.participants = [
                {"user_id": user_id, "display_name": entry.get("display_name", "")}
                for user_id, entry in participants.items()
            ]
        await self.queue_compose(recording_id)

    async def queue_compose(self, recording_id: uuid.UUID) -> None:
        await self._queue.enqueue(COMPOSE_RECORDING, {"recording_id": str(recording_id)})

    # --- the compose job -----------------------------------------------------------------

    async def claim(self, recording_id: uuid.UUID) -> ComposeTicket | None:
        """Start composing a queued recording; None when it is not queued (composed, being
        composed, deleted)."""
        async with UnitOfWork(self._sessions) as uow:
            row = await recording_rows.get(uow.session, recording_id, lock=True)
            if row is None or row.status != "queued" or row.raw_directory is None:
                return None
            row.status, row.progress, row.error = "composing", 0, None
            row.compose_attempts += 1
            return ComposeTicket(
                row.id, row.room_id, Path(row.raw_directory), row.container, row.compose_attempts
            )

    async def progress(self, recording_id: uuid.UUID, percent: int) -> None:
        async with UnitOfWork(self._sessions) as uow:
            row = await recording_rows.get(uow.session, recording_id)
            if row is not None and row.status == "composing":
                row.progress = max(0, min(99, percent))
                row.updated_at = utcnow()  # alive: `recover` leaves it alone

    async def ready(
        self, recording_id: uuid.UUID, *, storage_key: str, size_bytes: int, duration_ms: int
    ) -> None:
        """The composed file is stored: members hear of it (notification, webhook) and
        their meeting history links to it."""
        async with UnitOfWork(self._sessions) as uow:
            found = await recording_rows.with_room(uow.session, recording_id)
            if found is None:
                return
            row, room = found
            row.status, row.progress, row.error = "ready", 100, None
            row.storage_key, row.size_bytes, row.duration_ms = storage_key, size_bytes, duration_ms
            url = self.page_url(recording_id)
            until = row.stopped_at or utcnow()
            await recording_rows.link_history(uow.session, row, url, until)
        await self._announce(room, row, url)

    async def _announce(self, room: Room, row: Recording, url: str) -> None:
        data: dict[str, Any] = {
            "url": url,
            "recording_id": str(row.id),
            "duration_ms": row.duration_ms,
            "size_bytes": row.size_bytes,
        }
        await self._events.emit(RECORDING_READY, room, data, None)

    async def failed(self, recording_id: uuid.UUID, error: str) -> None:
        async with UnitOfWork(self._sessions) as uow:
            row = await recording_rows.get(uow.session, recording_id, lock=True)
            if row is not None and row.status == "composing":
                row.status, row.error = "failed", error[:2000]
        _log.warning("recording_compose_failed", recording_id=str(recording_id), error=error)

    async def requeue(self, recording_id: uuid.UUID) -> None:
        """A compose cut short by something passing (the store was unreachable): queued
        again, for the job's next try."""
        async with UnitOfWork(self._sessions) as uow:
            row = await recording_rows.get(uow.session, recording_id, lock=True)
            if row is not None and row.status == "composing":
                row.status = "queued"

    async def raw_removed(self, recording_id: uuid.UUID) -> None:
        async with UnitOfWork(self._sessions) as uow:
            row = await recording_rows.get(uow.session, recording_id)
            if row is not None:
                row.raw_directory = None

    def page_url(self, recording_id: uuid.UUID) -> str:
        return f"{self._public_url}/recordings/{recording_id}"

    # --- start-up ------------------------------------------------------------------------

    async def left_behind(self) -> tuple[list[Recording], list[uuid.UUID]]:
        """Recordings a dead process left: those still capturing (the caller finalizes the
        ones whose directory it can read), and those queued or stuck composing (to queue
        again)."""
        stale_before = utcnow() - STALE_COMPOSE
        async with UnitOfWork(self._sessions) as uow:
            rows = await recording_rows.in_status(uow.session, ("recording", "queued", "composing"))
            capturing = [row for row in rows if row.status == "recording"]
            again: list[uuid.UUID] = []
            for row in rows:
                if row.status == "composing" and row.updated_at < stale_before:
                    row.status = "queued"
                if row.status == "queued":
                    again.append(row.id)
            return capturing, again
