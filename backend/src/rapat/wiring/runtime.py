"""What one process runs on: its resources, mailer, job runtime and services, built from
`Settings` in one place and closed in one order (the reverse of their dependencies)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from rapat.api.readiness import Check
from rapat.api.state import ApiServices
from rapat.config import Settings
from rapat.jobs.metrics import JobMetrics
from rapat.jobs.runtime import JobRuntime
from rapat.mail.interfaces import Mailer
from rapat.recording.store import RecordingStore
from rapat.storage.health import check_database
from rapat.wiring.adapters import (
    Resources,
    create_mailer,
    create_recording_store,
    open_resources,
)
from rapat.wiring.services import Services, build_services


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    resources: Resources
    mailer: Mailer
    jobs: JobRuntime
    services: Services
    # Finished recordings (local directory or S3), for the recording service and jobs.
    recording_store: RecordingStore

    @classmethod
    def build(cls, settings: Settings, job_metrics: JobMetrics) -> Runtime:
        """Everything built, nothing started: connections open lazily, jobs on `start`."""
        resources = open_resources(settings.database, settings.cache)
        mailer = create_mailer(settings.mail)
        jobs = JobRuntime(settings.jobs, job_metrics)
        recording_store = create_recording_store(settings.recording.store)
        services = build_services(settings, resources, mailer, jobs, recording_store)
        return cls(settings, resources, mailer, jobs, services, recording_store)

    def api_services(self) -> ApiServices:
        """What the HTTP routes use."""
        services = self.services
        live = services.live
        return ApiServices(
            auth=services.auth,
            recovery=services.recovery,
            outbox=services.outbox,
            users=services.users,
            rooms=services.rooms,
            recordings=services.recordings.service,
            notifications=live.notifications,
            webhooks=live.webhooks,
            invitations=live.notifier,
            dev_mailbox=services.dev_mailbox,
            dev_mailbox_show_all=self.settings.dev_mailbox_show_all,
            presence=self.resources.bus.presence,
            placement=cluster.placement if (cluster := services.signaling.cluster) else None,
        )

    def readiness_checks(self) -> dict[str, Check]:
        """One check per networked dependency this process uses."""
        checks: dict[str, Check] = {
            "database": partial(check_database, self.resources.engine),
            "cache": self.resources.bus.ping,
        }
        if self.settings.mail.smtp_url:
            checks["mail"] = self.mailer.ping
        if self.settings.jobs.broker_url:
            checks["broker"] = self.jobs.ping
        if self.settings.recording.store.s3 is not None:
            checks["recording_store"] = self.recording_store.check
        return checks

    async def close(self) -> None:
        """Live connections first, then queued mail, the user channels and the jobs,
        then the connections everything used."""
        await self.services.signaling.close()
        await self.services.outbox.drain()
        await self.services.live.close()  # the user channels, then the jobs
        self.services.avatar_decoders.close()
        await self.mailer.close()
        await self.recording_store.close()
        await self.resources.close()
