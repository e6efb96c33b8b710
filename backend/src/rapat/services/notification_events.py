"""What each product event tells whom: invitations, contact added, meeting ended,
recording ready, meeting reminders. Each builds a ``Draft`` per recipient and hands it to
``NotificationService.deliver``."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from rapat.domain.identity import Principal
from rapat.domain.permissions import Action, allowed
from rapat.domain.rooms import ACTIVE
from rapat.services.notification_mails import invitation_mail, reminder_mail
from rapat.services.notifications import (
    CONTACT_ADDED,
    MEETING_INVITATION,
    MEETING_REMINDER,
    RECORDING_READY,
    ROOM_ENDED,
    Draft,
    NotificationService,
)
from rapat.services.profile import display_name
from rapat.services.rooms import RoomService
from rapat.storage.models import Room, User
from rapat.storage.repositories import rooms as room_rows

MAX_INVITEES = 50


class MeetingNotifier:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        notifications: NotificationService,
        rooms: RoomService,
        public_url: str,
    ) -> None:
        self._sessions = sessions
        self._notifications = notifications
        self._rooms = rooms
        self._public_url = public_url.rstrip("/")

    def room_link(self, room: Room) -> str:
        return f"{self._public_url}/r/{room.meeting_code}"

    async def invite(
        self, principal: Principal, reference: str, user_ids: list[uuid.UUID]
    ) -> list[uuid.UUID]:
        """Hosts and moderators invite people (in-app, and by email with the `.ics` file
        when the meeting is scheduled). Returns who was invited."""
        wanted = list(dict.fromkeys(uid for uid in user_ids if uid != principal.user_id))
        if not wanted:
            raise InvalidInput("Name at least one other person to invite.", code="no_invitees")
        if len(wanted) > MAX_INVITEES:
            raise InvalidInput(
                f"Invite at most {MAX_INVITEES} people at once.", code="too_many_invitees"
            )
        view = await self._rooms.get(principal, reference)
        if not allowed(view.my_role, Action.UPDATE):
            raise Forbidden("Only the host or a moderator can invite people.", code="not_allowed")
        room = view.room
        if room.status != ACTIVE:
            raise Conflict(f"This meeting is {room.status}.", code="room_closed")
        async with self._sessions() as session:
            users = await room_rows.users_by_id(session, set(wanted))
        missing = [uid for uid in wanted if uid not in users or users[uid].status != "active"]
        if missing:
            raise NotFound(
                "No such user.", code="user_not_found", details={"user_id": str(missing[0])}
            )
        ics = await self._rooms.invitation(principal, reference) if room.scheduled_at else None
        inviter = display_name(view.host) if view.host.id == principal.user_id else None
        if inviter is None:
            async with self._sessions() as session:
                me = await session.get(User, principal.user_id)
            inviter = display_name(me) if me is not None else "Someone"
        link = self.room_link(room)
        for uid in wanted:
            user = users[uid]
            await self._notifications.deliver(
                uid,
                Draft(
                    type=MEETING_INVITATION,
                    title=f"{inviter} invited you to {room.name}",
                    message=f"Meeting “{room.name}”, {_when(room.scheduled_at)}.",
                    data=_room_data(room, link),
                    mail=invitation_mail(
                        user.email,
                        user.first_name,
                        inviter=inviter,
                        room_name=room.name,
                        starts_at=room.scheduled_at,
                        link=link,
                        ics=ics,
                    ),
                    email_setting="notify_email_invitations",
                ),
            )
        return wanted

    async def contact_added(self, adder_id: uuid.UUID, contact_id: uuid.UUID) -> None:
        async with self._sessions() as session:
            adder = await session.get(User, adder_id)
        if adder is None:
            return
        name = display_name(adder)
        await self._notifications.deliver(
            contact_id,
            Draft(
                type=CONTACT_ADDED,
                title=f"{name} added you as a contact",
                message=f"{name} can now see when you are online and invite you to meetings.",
                data={"user_id": str(adder.id), "name": name},
            ),
        )

    async def room_ended(self, room: Room, ended_by: uuid.UUID | None) -> None:
        """Everyone who took part hears it, except whoever ended it."""
        async with self._sessions() as session:
            members = await room_rows.members_with_users(session, room.id, include_left=True)
        for _, user in members:
            if user.id == ended_by:
                continue
            await self._notifications.deliver(
                user.id,
                Draft(
                    type=ROOM_ENDED,
                    title=f"{room.name} has ended",
                    message="The meeting was ended by its host.",
                    data=_room_data(room, self.room_link(room)),
                ),
            )

    async def recording_ready(self, room: Room, recording_url: str) -> None:
        """The hook the recordings feature calls: members learn where to watch it."""
        async with self._sessions() as session:
            members = await room_rows.members_with_users(session, room.id, include_left=True)
        for _, user in members:
            await self._notifications.deliver(
                user.id,
                Draft(
                    type=RECORDING_READY,
                    title=f"The recording of {room.name} is ready",
                    message="Watch or download it from Recordings.",
                    data={**_room_data(room, self.room_link(room)), "recording_url": recording_url},
                ),
            )

    async def remind(self, room: Room, user: User, minutes: int) -> None:
        assert room.scheduled_at is not None
        link = self.room_link(room)
        await self._notifications.deliver(
            user.id,
            Draft(
                type=MEETING_REMINDER,
                title=f"{room.name} starts in {minutes} minutes",
                message=f"Meeting “{room.name}”, {_when(room.scheduled_at)}.",
                data=_room_data(room, link),
                mail=reminder_mail(
                    user.email,
                    user.first_name,
                    room_name=room.name,
                    starts_at=room.scheduled_at,
                    minutes=minutes,
                    link=link,
                ),
                email_setting="notify_email_reminders",
            ),
        )


def _when(moment: datetime | None) -> str:
    return moment.strftime("%d %b %Y %H:%M UTC") if moment is not None else "happening now"


def _room_data(room: Room, link: str) -> dict[str, object]:
    return {
        "room_id": str(room.id),
        "meeting_code": room.meeting_code,
        "room_name": room.name,
        "url": link,
        "scheduled_at": room.scheduled_at.isoformat() if room.scheduled_at else None,
    }
