"""The recordings feature of one process, built from its settings: the ledger the
conference writes to, the service the API calls, and the compose and retention jobs, all
on the process's recording store (`adapters.create_recording_store`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.conference.recording_compose import ComposeSettings, RecordingComposer
from rapat.conference.recording_recovery import recover_recordings
from rapat.config import RecordingConfig, Settings
from rapat.observability.logging import get_logger
from rapat.recording.composer import composer_available
from rapat.recording.store import RecordingStore
from rapat.security.file_links import FileLinks
from rapat.services.job_queue import JobQueue
from rapat.services.recording_ledger import RecordingLedger
from rapat.services.recording_retention import RecordingRetention
from rapat.services.recordings import RecordingService
from rapat.services.room_event_sink import RoomEventSink

_log = get_logger("rapat.recordings")


def recording_available(settings: Settings) -> bool:
    """Meetings can be recorded here: recording is on, the SFU runs, and ffmpeg is there
    to compose the files (without it a recording could never be watched)."""
    config = settings.recording
    return config.enabled and settings.sfu.enabled and composer_available()


@dataclass(frozen=True, slots=True)
class Recordings:
    config: RecordingConfig
    store: RecordingStore
    ledger: RecordingLedger
    service: RecordingService
    composer: RecordingComposer
    retention: RecordingRetention

    @classmethod
    def build(
        cls,
        config: RecordingConfig,
        *,
        store: RecordingStore,
        sessions: async_sessionmaker[AsyncSession],
        system_sessions: async_sessionmaker[AsyncSession],
        queue: JobQueue,
        events: RoomEventSink,
        public_url: str,
        secret_key: str,
    ) -> Recordings:
        ledger = RecordingLedger(
            system_sessions, queue, events, public_url, container=config.container
        )
        service = RecordingService(
            sessions,
            ledger,
            store,
            FileLinks(secret_key, config.link_ttl),
            presign=config.store.kind == "s3" and config.store.presigned_downloads,
        )
        composer = RecordingComposer(
            ledger,
            store,
            ComposeSettings(threads=config.compose_threads, keep_raw=config.keep_raw),
        )
        retention = RecordingRetention(system_sessions, store, config.retention_days)
        return cls(config, store, ledger, service, composer, retention)

    # What the job system calls (jobs/tasks.py `RecordingJobs`).
    async def compose(self, recording_id: str) -> bool:
        return await self.composer.run(uuid.UUID(recording_id))

    async def purge(self) -> int:
        return await self.retention.purge()

    async def recover(self) -> None:
        """At start-up: finish what a dead process left (never stops the start)."""
        if not self.config.enabled:
            return
        if not composer_available():
            _log.error(
                "recording_unavailable",
                reason="ffmpeg is not installed: nothing could compose a recording, so "
                "none is started (install the ffmpeg package)",
            )
        try:
            count = await recover_recordings(self.ledger)
        except Exception:
            _log.exception("recording_recovery_failed")
            return
        if count:
            _log.info("recordings_recovered", count=count)
