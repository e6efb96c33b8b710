"""In-app notifications: stored per user, pushed live to their open tabs, read and marked
read through the API. Whether an event also (or only) goes by email is the user's choice
(user settings: ``notify_in_app``, ``notify_email_invitations``, ``notify_email_reminders``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import NotFound
from rapat.domain.identity import Principal
from rapat.mail.message import OutgoingMail
from rapat.observability.logging import get_logger
from rapat.services.current_user import require_user
from rapat.services.outbox import MailOutbox
from rapat.services.user_events import NOTIFICATION, NOTIFICATION_READ, UserEvents
from rapat.services.user_settings import UserPreferences, preferences_from_rows
from rapat.storage.models import Notification, User
from rapat.storage.repositories import notifications as notification_rows
from rapat.storage.repositories import settings as setting_rows
from rapat.storage.uow import UnitOfWork

# Notification types (the `type` column and the API's `type` field).
MEETING_INVITATION = "meeting_invitation"
MEETING_REMINDER = "meeting_reminder"
CONTACT_ADDED = "contact_added"
RECORDING_READY = "recording_ready"
ROOM_ENDED = "room_ended"

_log = get_logger("rapat.notifications")


@dataclass(frozen=True, slots=True)
class Draft:
    """What to tell one user; ``email_setting`` names the preference that allows the mail."""

    type: str
    title: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    mail: OutgoingMail | None = None
    email_setting: str | None = None


@dataclass(frozen=True, slots=True)
class NotificationPage:
    items: list[Notification]
    total: int
    unread: int


def notification_event(row: Notification) -> dict[str, Any]:
    """The JSON the live channel pushes (the API's NotificationOut shape)."""
    return {
        "id": str(row.id),
        "type": row.type,
        "title": row.title,
        "message": row.message,
        "is_read": row.is_read,
        "data": row.data or {},
        "created_at": row.created_at.isoformat(),
    }


def wants_email(preferences: UserPreferences, setting: str | None) -> bool:
    return setting is not None and bool(getattr(preferences, setting, False))


class NotificationService:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], events: UserEvents, outbox: MailOutbox
    ) -> None:
        self._sessions = sessions
        self._events = events
        self._outbox = outbox

    async def list(
        self, principal: Principal, *, unread_only: bool, limit: int, offset: int
    ) -> NotificationPage:
        async with self._sessions() as session:
            await require_user(session, principal)
            rows, total = await notification_rows.page(
                session, principal.user_id, unread_only=unread_only, limit=limit, offset=offset
            )
            unread = await notification_rows.unread_count(session, principal.user_id)
        return NotificationPage(items=list(rows), total=total, unread=unread)

    async def unread_count(self, principal: Principal) -> int:
        async with self._sessions() as session:
            await require_user(session, principal)
            return await notification_rows.unread_count(session, principal.user_id)

    async def mark_read(self, principal: Principal, notification_id: uuid.UUID) -> Notification:
        async with UnitOfWork(self._sessions) as uow:
            await require_user(uow.session, principal)
            row = await notification_rows.get_own(uow.session, principal.user_id, notification_id)
            if row is None:
                raise NotFound("No such notification.", code="notification_not_found")
            row.is_read = True
            await uow.session.flush()
            unread = await notification_rows.unread_count(uow.session, principal.user_id)
        await self._push(
            principal.user_id, NOTIFICATION_READ, {"ids": [str(row.id)], "unread_count": unread}
        )
        return row

    async def mark_all_read(self, principal: Principal) -> int:
        async with UnitOfWork(self._sessions) as uow:
            await require_user(uow.session, principal)
            changed = await notification_rows.mark_all_read(uow.session, principal.user_id)
        await self._push(principal.user_id, NOTIFICATION_READ, {"all": True, "unread_count": 0})
        return changed

    async def deliver(self, user_id: uuid.UUID, draft: Draft) -> Notification | None:
        """Store and push the notification if the user wants them in the app, and queue the
        mail if the user wants this kind by email. None when nothing was stored."""
        async with UnitOfWork(self._sessions) as uow:
            user = await uow.session.get(User, user_id)
            if user is None or user.status != "active":
                return None
            preferences = preferences_from_rows(await setting_rows.values_for(uow.session, user_id))
            row = None
            if preferences.notify_in_app:
                row = Notification(
                    user_id=user_id,
                    type=draft.type,
                    title=draft.title,
                    message=draft.message,
                    data=draft.data,
                )
                uow.session.add(row)
                await uow.session.flush()
                unread = await notification_rows.unread_count(uow.session, user_id)
        if draft.mail is not None and wants_email(preferences, draft.email_setting):
            await self._outbox.send_later(draft.mail)
        if row is not None:
            await self._push(
                user_id,
                NOTIFICATION,
                {"notification": notification_event(row), "unread_count": unread},
            )
        return row

    async def _push(self, user_id: uuid.UUID, event: str, data: dict[str, Any]) -> None:
        try:
            await self._events.publish(user_id, event, data)
        except Exception:  # the row is stored: the next page load shows it
            _log.exception("user_event_not_published", user_id=str(user_id), event_name=event)
