"""Retention: recordings that stopped more than `days` ago are deleted, files first (the
composed file in the store, then the raw tracks), then the row. A scheduled job runs it;
a file the store cannot delete now keeps its row for the next run."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.observability.logging import get_logger
from rapat.recording.store import RecordingStore, RecordingStoreError
from rapat.services.recording_removal import remove_recording
from rapat.storage.repositories import recordings as recording_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork

_log = get_logger("rapat.recordings")


class RecordingRetention:
    def __init__(
        self,
        system_sessions: async_sessionmaker[AsyncSession],
        store: RecordingStore,
        days: int | None,
    ) -> None:
        self._sessions = system_sessions
        self._store = store
        self._days = days  # None or 0: kept until someone deletes them

    async def purge(self) -> int:
        """Delete the expired recordings; returns how many went."""
        if not self._days:
            return 0
        cutoff = utcnow() - timedelta(days=self._days)
        async with UnitOfWork(self._sessions) as uow:
            expired = [
                (row.id, row.storage_key, row.raw_directory)
                for row in await recording_rows.stopped_before(uow.session, cutoff)
                if row.status != "composing"
            ]
        removed = 0
        for recording_id, key, raw in expired:
            try:
                if await remove_recording(self._sessions, self._store, recording_id, key, raw):
                    removed += 1
            except RecordingStoreError as error:  # the row stays for the next run
                _log.warning(
                    "recording_purge_failed", recording_id=str(recording_id), error=str(error)
                )
        if removed:
            _log.info("recordings_purged", count=removed, older_than_days=self._days)
        return removed
