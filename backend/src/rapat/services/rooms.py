"""Rooms: creating and scheduling them, joining and leaving, ending, roles, history."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from rapat.domain.identity import Principal
from rapat.domain.permissions import Action, Role
from rapat.domain.rooms import ACTIVE, CANCELLED, ENDED, check_transition, refusal_to_join
from rapat.security.passwords import PasswordHasher
from rapat.services.calendar import Invitation, render_invitation
from rapat.services.room_access import find_room, require, role_in
from rapat.services.room_bans import RoomBans, banned_error
from rapat.services.room_event_sink import (
    PARTICIPANT_JOINED,
    PARTICIPANT_LEFT,
    PARTICIPANT_ROLE_CHANGED,
    ROOM_CANCELLED,
    ROOM_CREATED,
    ROOM_ENDED,
    ROOM_SETTINGS_CHANGED,
    ROOM_STARTED,
    RoomEventSink,
)
from rapat.services.room_settings import RoomSettings, merge_settings
from rapat.storage.models import MeetingHistory, Room, RoomParticipant, User
from rapat.storage.repositories import bans as ban_rows
from rapat.storage.repositories import recordings as recording_rows
from rapat.storage.repositories import rooms as room_rows
from rapat.storage.scope import as_system
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork

CODE_ATTEMPTS = 5
# The `participant.left` reason of those a password change took out of the meeting.
LEFT_ON_PASSWORD_CHANGE = "password_changed"  # noqa: S105 (a reason, not a secret)
EDITABLE = ("name", "description", "max_users", "scheduled_at", "duration_minutes", "persistent")


@dataclass(frozen=True, slots=True)
class RoomView:
    room: Room
    host: User
    participant_count: int
    my_role: Role | None
    invite_url: str
    recording: bool = False  # being recorded now: said before anyone joins


@dataclass(frozen=True, slots=True)
class MemberView:
    participant: RoomParticipant
    user: User


@dataclass(frozen=True, slots=True)
class HistoryView:
    entry: MeetingHistory
    room: Room
    user: User


@dataclass(frozen=True, slots=True)
class MessagePage:
    items: list[tuple[Any, User | None]]
    next_cursor: tuple[datetime, uuid.UUID] | None


class RoomService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        hasher: PasswordHasher,
        public_url: str,
        events: RoomEventSink | None = None,
    ) -> None:
        self._sessions = sessions
        self._hasher = hasher
        self._public_url = public_url.rstrip("/")
        self._events = events
        self.bans = RoomBans(sessions)

    async def _emit(
        self, event: str, room: Room, actor: uuid.UUID, data: dict[str, Any] | None = None
    ) -> None:
        """After the commit: webhooks and notifications (failures are logged there)."""
        if self._events is not None:
            await self._events.emit(event, room, data or {}, actor)

    async def create(
        self, principal: Principal, fields: dict[str, Any], settings: dict[str, Any] | None
    ) -> RoomView:
        view = await self._create(principal, fields, settings)
        await self._emit(ROOM_CREATED, view.room, principal.user_id)
        return view

    async def _create(
        self, principal: Principal, fields: dict[str, Any], settings: dict[str, Any] | None
    ) -> RoomView:
        room_settings = merge_settings({}, settings)
        password_hash = await self._hash_room_password(fields.pop("password", None))
        for _ in range(CODE_ATTEMPTS):
            try:
                async with UnitOfWork(self._sessions) as uow:
                    room = Room(host_id=principal.user_id, password_hash=password_hash, **fields)
                    uow.session.add(room)
                    await uow.session.flush()
                    uow.session.add(
                        RoomParticipant(
                            room_id=room.id,
                            user_id=principal.user_id,
                            role=Role.HOST.value,
                            left_at=utcnow(),  # a member, not yet in the meeting
                        )
                    )
                    await room_rows.save_settings(uow.session, room.id, room_settings.model_dump())
                    return await self._view(uow.session, room, principal)
            except IntegrityError:  # a meeting code collision: draw another one
                continue
        raise Conflict("Could not allocate a meeting code; try again.", code="code_exhausted")

    async def list_rooms(
        self,
        principal: Principal,
        *,
        scope: str,
        status: str | None,
        upcoming: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[RoomView], int]:
        async with self._sessions() as session:
            rooms, total = await room_rows.visible_to(
                session,
                principal.user_id,
                scope=scope,
                # Upcoming means meetings that will still happen.
                status=status or (ACTIVE if upcoming else None),
                upcoming_after=utcnow() if upcoming else None,
                limit=limit,
                offset=offset,
            )
            return [await self._view(session, room, principal) for room in rooms], total

    async def get(self, principal: Principal, reference: str) -> RoomView:
        async with self._sessions() as session:
            return await self._view(session, await self._room(session, reference), principal)

    async def update(
        self, principal: Principal, reference: str, changes: dict[str, Any]
    ) -> RoomView:
        password_change = "password" in changes
        remove_members = changes.pop("remove_participants", False)
        if remove_members and not password_change:
            raise InvalidInput(
                "remove_participants goes with a new password.", code="invalid_input"
            )
        new_hash = await self._hash_room_password(changes.pop("password", None))
        evicted: list[dict[str, Any]] = []
        async with UnitOfWork(self._sessions) as uow:
            room = await self._room(uow.session, reference)
            await self._require(uow.session, room, principal, Action.UPDATE)
            target = changes.pop("status", None)
            if target is not None:
                check_transition(room.status, target)
                room.status = target
                if target == CANCELLED:
                    await self._close_meeting(uow.session, room, utcnow())
            elif room.status != ACTIVE:
                raise Conflict(
                    f"This room is {room.status}; it can no longer change.", code="room_closed"
                )
            for key in EDITABLE:
                if key in changes:
                    setattr(room, key, changes[key])
            if password_change:
                room.password_hash = new_hash
                if remove_members:
                    evicted = await self._revoke_memberships(uow.session, room)
            if "max_users" in changes and changes["max_users"] < await room_rows.present_count(
                uow.session, room.id
            ):
                raise Conflict("More people are in the meeting than that.", code="too_small")
            await uow.session.flush()
            view = await self._view(uow.session, room, principal)
        if target == CANCELLED:
            await self._emit(ROOM_CANCELLED, room, principal.user_id)
        for data in evicted:  # the hub closes their sockets (docs/signaling.md)
            await self._emit(PARTICIPANT_LEFT, room, principal.user_id, data)
        return view

    async def delete(self, principal: Principal, reference: str) -> None:
        async with UnitOfWork(self._sessions) as uow:
            room = await self._room(uow.session, reference)
            await self._require(uow.session, room, principal, Action.DELETE)
            await uow.session.delete(room)

    async def join(
        self, principal: Principal, reference: str, password: str | None, as_observer: bool
    ) -> tuple[RoomView, MemberView]:
        # As the system: a newcomer counts the seats of a room they are not yet in. Every
        # statement below names the room (decision 46).
        async with UnitOfWork(self._sessions) as uow, as_system(uow.session):
            room = await self._room(uow.session, reference, lock=True)
            refusal = refusal_to_join(room.status)
            if refusal is not None:
                raise refusal
            if await ban_rows.is_banned(uow.session, room.id, principal.user_id):
                # Before the password: knowing it does not undo a removal (decision 42).
                raise banned_error()
            existing = await room_rows.participant(uow.session, room.id, principal.user_id)
            is_host = room.host_id == principal.user_id
            if room.password_hash and not is_host and existing is None:
                matches = password is not None and await asyncio.to_thread(
                    self._hasher.verify, password, room.password_hash
                )
                if not matches:
                    raise Forbidden("The room password is not right.", code="wrong_password")
            role = (
                Role(existing.role)
                if existing
                else (Role.OBSERVER if as_observer else Role.PARTICIPANT)
            )
            now = utcnow()
            already_in = existing is not None and existing.left_at is None
            starts = not already_in and await room_rows.present_count(uow.session, room.id) == 0
            if not already_in:
                seated = await room_rows.seat(
                    uow.session,
                    room.id,
                    principal.user_id,
                    role=role.value,
                    now=now,
                    capacity=None if is_host else room.max_users,
                )
                if not seated:
                    raise Conflict(
                        "This meeting is full.",
                        code="room_full",
                        details={"max_users": room.max_users},
                    )
                uow.session.add(
                    MeetingHistory(room_id=room.id, user_id=principal.user_id, joined_at=now)
                )
            await uow.session.flush()
            member = await room_rows.participant(uow.session, room.id, principal.user_id)
            assert member is not None
            await uow.session.refresh(member)
            user = await uow.session.get(User, principal.user_id)
            assert user is not None
            result = await self._view(uow.session, room, principal), MemberView(member, user)
        if starts:
            await self._emit(ROOM_STARTED, room, principal.user_id)
        if not already_in:
            await self._emit(PARTICIPANT_JOINED, room, principal.user_id, _member_data(member))
        return result

    async def leave(
        self, principal: Principal, reference: str, *, reason: str = "left"
    ) -> uuid.UUID:
        """Leave the meeting; the room's id (the reference may be its code). `reason`
        says why to those still there: "left", or "disconnected" when the live
        connection's grace period ran out."""
        async with UnitOfWork(self._sessions) as uow:
            room = await self._room(uow.session, reference)
            member = await room_rows.participant(uow.session, room.id, principal.user_id)
            if member is None or member.left_at is not None:
                raise Conflict("You are not in this meeting.", code="not_in_room")
            now = utcnow()
            member.left_at = now
            entry = await room_rows.open_history(uow.session, room.id, principal.user_id)
            if entry is not None:
                await room_rows.close_history(uow.session, entry, now)
        data = _member_data(member) | {"reason": reason}
        await self._emit(PARTICIPANT_LEFT, room, principal.user_id, data)
        return room.id

    async def end(self, principal: Principal, reference: str) -> RoomView:
        async with UnitOfWork(self._sessions) as uow:
            room = await self._room(uow.session, reference, lock=True)
            await self._require(uow.session, room, principal, Action.END)
            now = utcnow()
            if not room.persistent:
                check_transition(room.status, ENDED)
                room.status = ENDED
                room.ended_at = now
            await self._close_meeting(uow.session, room, now)
            await uow.session.flush()
            view = await self._view(uow.session, room, principal)
        await self._emit(ROOM_ENDED, room, principal.user_id)
        return view

    async def members(
        self, principal: Principal, reference: str, *, include_left: bool
    ) -> list[MemberView]:
        async with self._sessions() as session:
            room = await self._room(session, reference)
            await self._require(session, room, principal, Action.VIEW_MEMBERS)
            rows = await room_rows.members_with_users(session, room.id, include_left=include_left)
            return [MemberView(participant, user) for participant, user in rows]

    async def assign_role(
        self, principal: Principal, reference: str, user_id: uuid.UUID, role: Role
    ) -> MemberView:
        if role is Role.HOST:
            raise InvalidInput(
                "A room has one host; hosting cannot be assigned.", code="invalid_role"
            )
        async with UnitOfWork(self._sessions) as uow:
            room = await self._room(uow.session, reference)
            await self._require(uow.session, room, principal, Action.ASSIGN_ROLES)
            member = await room_rows.participant(uow.session, room.id, user_id)
            if member is None:
                raise NotFound(
                    "This person is not a member of the room.", code="participant_not_found"
                )
            if member.role == Role.HOST.value:
                raise Conflict("The host's role cannot change.", code="host_role_fixed")
            member.role = role.value
            user = await uow.session.get(User, user_id)
            assert user is not None
        await self._emit(PARTICIPANT_ROLE_CHANGED, room, principal.user_id, _member_data(member))
        return MemberView(member, user)

    async def room_history(
        self, principal: Principal, reference: str, limit: int, offset: int
    ) -> tuple[list[HistoryView], int]:
        async with self._sessions() as session:
            room = await self._room(session, reference)
            await self._require(session, room, principal, Action.VIEW_MEMBERS)
            rows, total = await room_rows.history(
                session, room_id=room.id, limit=limit, offset=offset
            )
            return [HistoryView(*row) for row in rows], total

    async def my_history(
        self, principal: Principal, limit: int, offset: int
    ) -> tuple[list[HistoryView], int]:
        async with self._sessions() as session:
            rows, total = await room_rows.history(
                session, user_id=principal.user_id, limit=limit, offset=offset
            )
            return [HistoryView(*row) for row in rows], total

    async def messages(
        self,
        principal: Principal,
        reference: str,
        before: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> MessagePage:
        async with self._sessions() as session:
            room = await self._room(session, reference)
            await self._require(session, room, principal, Action.VIEW_MEMBERS)
            rows = await room_rows.messages_before(session, room.id, before, limit + 1)
            page = list(rows[:limit])
            cursor = (page[-1][0].created_at, page[-1][0].id) if len(rows) > limit else None
            return MessagePage(items=page, next_cursor=cursor)

    async def settings(self, principal: Principal, reference: str) -> RoomSettings:
        async with self._sessions() as session:
            room = await self._room(session, reference)
            await self._require(session, room, principal, Action.VIEW_MEMBERS)
            return merge_settings(await room_rows.settings(session, room.id))

    async def update_settings(
        self, principal: Principal, reference: str, changes: dict[str, Any]
    ) -> RoomSettings:
        async with UnitOfWork(self._sessions) as uow:
            room = await self._room(uow.session, reference)
            await self._require(uow.session, room, principal, Action.CHANGE_SETTINGS)
            merged = merge_settings(await room_rows.settings(uow.session, room.id), changes)
            await room_rows.save_settings(uow.session, room.id, merged.model_dump())
        # A live meeting applies the change at once (chat and screen sharing rights).
        await self._emit(
            ROOM_SETTINGS_CHANGED, room, principal.user_id, {"settings": merged.model_dump()}
        )
        return merged

    async def invitation(self, principal: Principal, reference: str) -> tuple[str, str]:
        """The `.ics` text and a file name for a scheduled meeting."""
        view = await self.get(principal, reference)
        room = view.room
        if room.scheduled_at is None:
            raise Conflict("This meeting has no scheduled time.", code="not_scheduled")
        host_name = f"{view.host.first_name} {view.host.last_name}".strip()
        text = render_invitation(
            Invitation(
                uid=f"{room.id}@rapat",
                title=room.name,
                description=f"{room.description or ''}\n\nJoin: {view.invite_url}".strip(),
                url=view.invite_url,
                organizer_name=host_name,
                starts_at=room.scheduled_at,
                duration=None
                if room.duration_minutes is None
                else timedelta(minutes=room.duration_minutes),
                sequence=int(room.updated_at.timestamp()),
                cancelled=room.status == CANCELLED,
            ),
            now=utcnow(),
        )
        return text, f"rapat-{room.meeting_code}.ics"

    async def _room(self, session: AsyncSession, reference: str, *, lock: bool = False) -> Room:
        return await find_room(session, reference, lock=lock)

    async def _role(self, session: AsyncSession, room: Room, principal: Principal) -> Role | None:
        return await role_in(session, room, principal)

    async def _require(
        self, session: AsyncSession, room: Room, principal: Principal, action: Action
    ) -> Role:
        return await require(session, room, principal, action)

    async def _revoke_memberships(self, session: AsyncSession, room: Room) -> list[dict[str, Any]]:
        """After a password change that asks for it: everyone but the host stops being a
        member, so the new password is asked of them when they join again; those in the
        meeting leave it (decision 42). The `participant.left` data of those who left."""
        now = utcnow()
        left: list[dict[str, Any]] = []
        for member, _user in await room_rows.members_with_users(
            session, room.id, include_left=True
        ):
            if member.role == Role.HOST.value:
                continue
            if member.left_at is None:
                entry = await room_rows.open_history(session, room.id, member.user_id)
                if entry is not None:
                    await room_rows.close_history(session, entry, now)
                left.append(_member_data(member) | {"reason": LEFT_ON_PASSWORD_CHANGE})
            await session.delete(member)
        return left

    async def _close_meeting(self, session: AsyncSession, room: Room, now: datetime) -> None:
        for member in await room_rows.present(session, room.id):
            member.left_at = now
            entry = await room_rows.open_history(session, room.id, member.user_id)
            if entry is not None:
                await room_rows.close_history(session, entry, now)

    async def _view(self, session: AsyncSession, room: Room, principal: Principal) -> RoomView:
        host = await session.get(User, room.host_id)
        assert host is not None
        my_role = await self._role(session, room, principal)
        return RoomView(
            room=room,
            host=host,
            participant_count=await self._present_count(session, room.id, member=my_role),
            my_role=my_role,
            invite_url=f"{self._public_url}/r/{room.meeting_code}",
            recording=await self._recording_now(session, room.id),
        )

    async def _recording_now(self, session: AsyncSession, room_id: uuid.UUID) -> bool:
        # Whoever is about to join must be told, member or not yet (row security hides
        # the room's recordings from a non-member).
        async with as_system(session):
            return await recording_rows.recording_now(session, room_id)

    async def _present_count(
        self, session: AsyncSession, room_id: uuid.UUID, *, member: Role | None
    ) -> int:
        if member is not None:
            return await room_rows.present_count(session, room_id)
        # The head count is shown before joining too, when row security hides the room's
        # participants from someone not in it (decision 46).
        async with as_system(session):
            return await room_rows.present_count(session, room_id)

    async def _hash_room_password(self, password: str | None) -> str | None:
        if password is None:
            return None
        return await asyncio.to_thread(self._hasher.hash, password)


def _member_data(member: RoomParticipant) -> dict[str, Any]:
    return {"user_id": str(member.user_id), "role": member.role}
