"""Removing one recording: the composed file in the store and the raw tracks first, then
the row, so a failing store leaves the recording listed rather than a row pointing at
nothing. Shared by deleting (someone asked) and retention (it expired)."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.recording.store import RecordingStore
from rapat.storage.repositories import recordings as recording_rows
from rapat.storage.uow import UnitOfWork


async def remove_recording(
    sessions: async_sessionmaker[AsyncSession],
    store: RecordingStore,
    recording_id: uuid.UUID,
    storage_key: str | None,
    raw_directory: str | None,
) -> bool:
    """False when the row was gone already. Raises `RecordingStoreError` when the store
    cannot delete the file (nothing else is removed then)."""
    if storage_key is not None:
        await store.delete(storage_key)
    if raw_directory is not None:
        await asyncio.to_thread(shutil.rmtree, Path(raw_directory), True)
    async with UnitOfWork(sessions) as uow:
        row = await recording_rows.get(uow.session, recording_id, lock=True)
        if row is None:
            return False
        await uow.session.delete(row)
        return True
