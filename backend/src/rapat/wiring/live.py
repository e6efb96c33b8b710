"""Builds the notification side of the product for one process (the app or a worker):
job runtime, live user channel, notifications, webhooks, reminders and room events.

Two steps because the room-event subscriber built here (`room_events`) is handed to the
room service's fan-out, and the meeting notifier needs the room service: construct
first, then ``attach_rooms``."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.bus import Bus
from rapat.config import Settings
from rapat.domain.backoff import RetryPolicy
from rapat.jobs.ledger import JobLedger
from rapat.jobs.runtime import JobRuntime
from rapat.jobs.tasks import JobHandlers, RecordingJobs
from rapat.security.encryption import Encryptor
from rapat.services.auth import AuthService
from rapat.services.live_presence import LivePresence
from rapat.services.notification_events import MeetingNotifier
from rapat.services.notifications import NotificationService
from rapat.services.outbox import MailOutbox
from rapat.services.ports import MailSender
from rapat.services.reminders import ReminderService
from rapat.services.room_events import RoomEvents
from rapat.services.rooms import RoomService
from rapat.services.session_endings import SessionEndings
from rapat.services.webhook_delivery import WebhookDeliverer
from rapat.services.webhooks import WebhookService
from rapat.signaling.user_channel import UserChannel
from rapat.signaling.user_endpoint import UserChannelServer


class LiveServices:
    def __init__(
        self,
        settings: Settings,
        *,
        sessions: async_sessionmaker[AsyncSession],
        system_sessions: async_sessionmaker[AsyncSession],
        bus: Bus,
        jobs: JobRuntime,
        outbox: MailOutbox,
        encryptor: Encryptor,
        auth: AuthService,
        endings: SessionEndings | None = None,
    ) -> None:
        config = settings.notifications
        jobs_config = settings.jobs
        self._settings = settings
        # Jobs, reminders and notifying a room's members act as the system (decision 46).
        self._system_sessions = system_sessions
        self.jobs = jobs
        self._kv = bus.kv
        self.user_channel = UserChannel(bus.pubsub)
        self.presence = LivePresence(
            bus.presence, bus.kv, sessions, self.user_channel, config.user_channel_presence_ttl
        )
        self.notifications = NotificationService(sessions, self.user_channel, outbox)
        self.webhooks = WebhookService(
            sessions, encryptor, jobs.queue, allow_private=config.webhook_allow_private
        )
        self.deliverer = WebhookDeliverer(
            system_sessions,
            encryptor,
            jobs.queue,
            bus.kv,
            RetryPolicy(
                jobs_config.max_attempts,
                jobs_config.retry_base_delay,
                jobs_config.retry_max_delay,
            ),
            timeout=config.webhook_timeout,
            allow_private=config.webhook_allow_private,
        )
        self.room_events = RoomEvents(self.webhooks)
        self.channel_server = UserChannelServer(
            auth,
            self.user_channel,
            self.presence,
            # The web app pings every 20 s; three missed pings end the channel.
            idle_timeout=max(60.0, config.user_channel_presence_ttl),
            endings=endings,
        )
        self._notifier: MeetingNotifier | None = None
        self._reminders: ReminderService | None = None

    @property
    def notifier(self) -> MeetingNotifier:
        if self._notifier is None:
            raise RuntimeError("attach_rooms() has not been called")
        return self._notifier

    @property
    def reminders(self) -> ReminderService:
        if self._reminders is None:
            raise RuntimeError("attach_rooms() has not been called")
        return self._reminders

    def attach_rooms(
        self, rooms: RoomService, mailer: MailSender, recordings: RecordingJobs | None = None
    ) -> None:
        """Finish wiring and register the jobs this process can run."""
        config = self._settings.notifications
        self._notifier = MeetingNotifier(
            self._system_sessions, self.notifications, rooms, self._settings.auth.public_url
        )
        self.room_events.bind_notifier(self._notifier)
        self._reminders = ReminderService(
            self._system_sessions, self._notifier, config.reminder_minutes, leases=self._kv
        )
        self.jobs.register(
            JobHandlers(
                mailer=mailer,
                webhooks=self.deliverer,
                reminders=self._reminders,
                recordings=recordings,
            ),
            JobLedger(self._kv),
            reminder_interval=config.reminder_scan_seconds,
        )

    async def close(self) -> None:
        await self.channel_server.close()
        await self.jobs.close()

    async def contact_added(self, adder_id: uuid.UUID, contact_id: uuid.UUID) -> None:
        await self.notifier.contact_added(adder_id, contact_id)
