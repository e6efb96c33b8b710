"""Meeting reminders: a scheduled scan finds active meetings starting within the next
``minutes`` and reminds their members once per scheduled time (a moved meeting is
reminded again).

Two marks keep it at least once and, normally, exactly once: a short lease in the shared
key-value store lets one scheduler at a time remind a meeting, and the `room_reminders`
row, written only after every member was reminded, ends it for good. A scheduler that dies
mid-way leaves no row; when its lease lapses the next scan reminds again (some members may
then get the reminder twice, none gets it never)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.bus.interfaces import KeyValue
from rapat.domain.rooms import ACTIVE
from rapat.observability.logging import get_logger
from rapat.services.notification_events import MeetingNotifier
from rapat.storage.models import Room, RoomReminder
from rapat.storage.repositories import rooms as room_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork

_log = get_logger("rapat.reminders")


class ReminderService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        notifier: MeetingNotifier,
        minutes: int,
        *,
        leases: KeyValue,
        lease_seconds: float = 120.0,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        if minutes < 1:
            raise ValueError("minutes must be at least 1")
        self._sessions = sessions
        self._notifier = notifier
        self._minutes = minutes
        self._now = now
        self._leases = leases
        self._lease_seconds = lease_seconds

    async def send_due(self) -> int:
        """Remind the members of every meeting now due; returns how many meetings."""
        now = self._now()
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Room)
                .outerjoin(
                    RoomReminder,
                    (RoomReminder.room_id == Room.id)
                    & (RoomReminder.scheduled_at == Room.scheduled_at),
                )
                .where(
                    Room.status == ACTIVE,
                    Room.scheduled_at > now,
                    Room.scheduled_at <= now + timedelta(minutes=self._minutes),
                    RoomReminder.room_id.is_(None),
                )
                .order_by(Room.scheduled_at)
            )
            due = list(rows.all())
        sent = 0
        for room in due:
            assert room.scheduled_at is not None
            lease = f"reminder:{room.id}:{room.scheduled_at.isoformat()}"
            if not await self._leases.set_if_absent(lease, b"1", ttl=self._lease_seconds):
                continue  # another scheduler is on it (or died on it: its lease will lapse)
            await self._remind_members(room)
            if await self._mark_sent(room, now):
                sent += 1
        return sent

    async def _mark_sent(self, room: Room, now: datetime) -> bool:
        assert room.scheduled_at is not None
        try:
            async with UnitOfWork(self._sessions) as uow:
                uow.session.add(
                    RoomReminder(room_id=room.id, scheduled_at=room.scheduled_at, sent_at=now)
                )
        except IntegrityError:  # a scheduler whose lease lapsed finished it too
            return False
        return True

    async def _remind_members(self, room: Room) -> None:
        async with self._sessions() as session:
            members = await room_rows.members_with_users(session, room.id, include_left=True)
        for _, user in members:
            try:
                await self._notifier.remind(room, user, self._minutes)
            except Exception:  # one member's failure must not cost the others their reminder
                _log.exception("reminder_failed", room_id=str(room.id), user_id=str(user.id))
