"""Meeting reminders: a scheduled scan finds active meetings starting within the next
``minutes`` and reminds their members once per scheduled time (a moved meeting is
reminded again). The `room_reminders` row is claimed first, so several schedulers (or a
job delivered twice) never remind twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        if minutes < 1:
            raise ValueError("minutes must be at least 1")
        self._sessions = sessions
        self._notifier = notifier
        self._minutes = minutes
        self._now = now

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
            if await self._claim(room, now):
                await self._remind_members(room)
                sent += 1
        return sent

    async def _claim(self, room: Room, now: datetime) -> bool:
        assert room.scheduled_at is not None
        try:
            async with UnitOfWork(self._sessions) as uow:
                uow.session.add(
                    RoomReminder(room_id=room.id, scheduled_at=room.scheduled_at, sent_at=now)
                )
        except IntegrityError:  # another scheduler claimed it first
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
