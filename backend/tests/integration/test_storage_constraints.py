"""The migrated schema itself refuses bad rows and cascades deletes, on both databases."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.storage import migrate
from rapat.storage.engine import create_engine, create_session_factory
from rapat.storage.models import (
    Base,
    MeetingHistory,
    Notification,
    Room,
    RoomMessage,
    RoomParticipant,
    RoomSetting,
    User,
    UserContact,
    UserSession,
    UserSetting,
)

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    await migrate.upgrade_async(database_url)
    engine = create_engine(database_url)
    yield create_session_factory(engine)
    await engine.dispose()


def new_user(**values: Any) -> User:
    defaults = {
        "email": f"{uuid4().hex[:10]}@example.com",
        "password_hash": "$2b$12$" + "x" * 53,
        "first_name": "Ayu",
        "last_name": "Lestari",
    }
    return User(**(defaults | values))


def new_room(host: User, **values: Any) -> Room:
    return Room(**({"name": "Weekly sync", "host_id": host.id} | values))


def new_session(user: User, **values: Any) -> UserSession:
    defaults = {
        "user_id": user.id,
        "token_hash": uuid4().hex + uuid4().hex,
        "family_id": uuid4(),
        "expires_at": datetime.now(UTC) + timedelta(days=7),
    }
    return UserSession(**(defaults | values))


async def saved(session: AsyncSession, *rows: Base) -> None:
    session.add_all(rows)
    await session.flush()


# Each case stores what the bad row needs, then returns the bad row and a pattern its error
# must match (PostgreSQL names the constraint; SQLite names the constraint or the columns).
Case = Callable[[AsyncSession], Awaitable[tuple[Base, str]]]


async def user_status(session: AsyncSession) -> tuple[Base, str]:
    return new_user(status="deleted"), "ck_users_status"


async def email_taken_in_other_case(session: AsyncSession) -> tuple[Base, str]:
    await saved(session, new_user(email="ayu@example.com"))
    return new_user(email="AYU@Example.com"), r"ix_users_email|users\.email"


async def room_max_users(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    await saved(session, host)
    return new_room(host, max_users=0), "ck_rooms_max_users_positive"


async def room_status(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    await saved(session, host)
    return new_room(host, status="paused"), "ck_rooms_status"


async def room_duration(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    await saved(session, host)
    return new_room(host, duration_minutes=0), "ck_rooms_duration_minutes_positive"


async def meeting_code_taken(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    await saved(session, host, new_room(host, meeting_code="abc-defg-hij"))
    return new_room(host, meeting_code="abc-defg-hij"), r"uq_rooms_meeting_code|rooms\.meeting_code"


async def meeting_code_length(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    await saved(session, host)
    return new_room(host, meeting_code="abc"), "ck_rooms_meeting_code_length"


async def room_without_host(session: AsyncSession) -> tuple[Base, str]:
    return Room(name="Orphan", host_id=uuid4()), "fk_rooms_host_id_users|FOREIGN KEY"


async def participant_role(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    room = new_room(host)
    await saved(session, host)
    await saved(session, room)
    return RoomParticipant(room_id=room.id, user_id=host.id, role="owner"), (
        "ck_room_participants_role"
    )


async def participant_twice(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    room = new_room(host)
    await saved(session, host)
    await saved(session, room)
    await saved(session, RoomParticipant(room_id=room.id, user_id=host.id))
    return RoomParticipant(room_id=room.id, user_id=host.id), (
        r"uq_room_participants_room_id_user_id|room_participants\.room_id"
    )


async def contact_self(session: AsyncSession) -> tuple[Base, str]:
    user = new_user()
    await saved(session, user)
    return UserContact(user_id=user.id, contact_id=user.id), "ck_user_contacts_not_self"


async def contact_twice(session: AsyncSession) -> tuple[Base, str]:
    user, friend = new_user(), new_user()
    await saved(session, user, friend)
    await saved(session, UserContact(user_id=user.id, contact_id=friend.id))
    return UserContact(user_id=user.id, contact_id=friend.id), (
        r"uq_user_contacts_user_id_contact_id|user_contacts\.user_id"
    )


async def contact_unknown(session: AsyncSession) -> tuple[Base, str]:
    user = new_user()
    await saved(session, user)
    return UserContact(user_id=user.id, contact_id=uuid4()), (
        "fk_user_contacts_contact_id_users|FOREIGN KEY"
    )


async def session_token_reused(session: AsyncSession) -> tuple[Base, str]:
    user = new_user()
    await saved(session, user)
    first = new_session(user)
    await saved(session, first)
    return new_session(user, token_hash=first.token_hash), (
        r"uq_user_sessions_token|user_sessions\.token"
    )


async def session_token_not_a_hash(session: AsyncSession) -> tuple[Base, str]:
    user = new_user()
    await saved(session, user)
    return new_session(user, token_hash="raw-refresh-token"), "ck_user_sessions_token_is_sha256"


async def message_type(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    room = new_room(host)
    await saved(session, host)
    await saved(session, room)
    return RoomMessage(room_id=room.id, user_id=host.id, message="hi", message_type="gif"), (
        "ck_room_messages_message_type"
    )


async def negative_duration(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    room = new_room(host)
    await saved(session, host)
    await saved(session, room)
    return MeetingHistory(room_id=room.id, user_id=host.id, duration=-1), (
        "ck_meeting_history_duration_not_negative"
    )


async def user_setting_twice(session: AsyncSession) -> tuple[Base, str]:
    user = new_user()
    await saved(session, user)
    await saved(session, UserSetting(user_id=user.id, setting_key="theme", setting_value="dark"))
    return UserSetting(user_id=user.id, setting_key="theme", setting_value="light"), (
        r"uq_user_settings_user_id_setting_key|user_settings\.user_id"
    )


async def room_setting_twice(session: AsyncSession) -> tuple[Base, str]:
    host = new_user()
    room = new_room(host)
    await saved(session, host)
    await saved(session, room)
    await saved(session, RoomSetting(room_id=room.id, setting_key="lobby", setting_value=True))
    return RoomSetting(room_id=room.id, setting_key="lobby", setting_value=False), (
        r"uq_room_settings_room_id_setting_key|room_settings\.room_id"
    )


async def notification_without_title(session: AsyncSession) -> tuple[Base, str]:
    user = new_user()
    await saved(session, user)
    return Notification(user_id=user.id, type="invite", title=None, message="Join us"), (
        r'"title"|notifications\.title'
    )


async def notification_for_nobody(session: AsyncSession) -> tuple[Base, str]:
    return Notification(user_id=uuid4(), type="invite", title="Hi", message="Join us"), (
        "fk_notifications_user_id_users|FOREIGN KEY"
    )


VIOLATIONS: dict[str, Case] = {
    case.__name__: case
    for case in (
        user_status,
        email_taken_in_other_case,
        room_max_users,
        room_status,
        room_duration,
        meeting_code_taken,
        meeting_code_length,
        room_without_host,
        participant_role,
        participant_twice,
        contact_self,
        contact_twice,
        contact_unknown,
        session_token_reused,
        session_token_not_a_hash,
        message_type,
        negative_duration,
        user_setting_twice,
        room_setting_twice,
        notification_without_title,
        notification_for_nobody,
    )
}


async def outcome(sessions: Sessions, case: Case) -> str | None:
    """None when the bad row is refused for the expected reason, else what happened."""
    async with sessions() as session:
        bad_row, error_pattern = await case(session)
        session.add(bad_row)
        try:
            await session.flush()
        except IntegrityError as error:
            if re.search(error_pattern, str(error.orig)):
                return None
            return f"refused for another reason: {error.orig}"
        finally:
            await session.rollback()
    return "accepted"


async def test_the_database_rejects_bad_rows(sessions: Sessions) -> None:
    # One database for all cases (each rolled back), so the suite stays fast on PostgreSQL.
    failures = {name: await outcome(sessions, case) for name, case in VIOLATIONS.items()}
    assert {name: what for name, what in failures.items() if what is not None} == {}


async def test_every_participant_role_is_accepted(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        host = new_user()
        room = new_room(host)
        await saved(session, host)
        await saved(session, room)
        for role in ("host", "moderator", "participant", "observer"):
            member = new_user()
            await saved(session, member)
            await saved(session, RoomParticipant(room_id=room.id, user_id=member.id, role=role))


async def count(session: AsyncSession, model: type[Base], **where: UUID) -> int:
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    return int(await session.scalar(query) or 0)


async def test_deleting_a_user_removes_what_is_theirs(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        leaving, staying = new_user(), new_user()
        await saved(session, leaving, staying)
        own_room, other_room = new_room(leaving), new_room(staying)
        await saved(session, own_room, other_room)
        await saved(
            session,
            new_session(leaving),
            UserContact(user_id=leaving.id, contact_id=staying.id),
            UserContact(user_id=staying.id, contact_id=leaving.id),
            UserSetting(user_id=leaving.id, setting_key="theme", setting_value="dark"),
            Notification(user_id=leaving.id, type="invite", title="Hi", message="Join"),
            RoomParticipant(room_id=other_room.id, user_id=leaving.id),
            MeetingHistory(room_id=other_room.id, user_id=leaving.id),
            RoomMessage(room_id=other_room.id, user_id=leaving.id, message="bye"),
            RoomMessage(room_id=own_room.id, user_id=staying.id, message="hello"),
        )
        leaving_id, own_room_id, other_room_id = leaving.id, own_room.id, other_room.id

    async with sessions.begin() as session:
        await session.execute(delete(User).where(User.id == leaving_id))

    async with sessions() as session:
        for model in (UserSession, UserSetting, Notification, RoomParticipant, MeetingHistory):
            assert await count(session, model, user_id=leaving_id) == 0, model.__name__
        assert await count(session, UserContact) == 0
        # Rooms they hosted go, with everything in them.
        assert await count(session, Room, id=own_room_id) == 0
        assert await count(session, RoomMessage, room_id=own_room_id) == 0
        # What they said elsewhere stays, without an author.
        authors = (
            await session.scalars(
                select(RoomMessage.user_id).where(RoomMessage.room_id == other_room_id)
            )
        ).all()
        assert authors == [None]


async def test_deleting_a_room_removes_its_contents(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        host = new_user()
        room = new_room(host)
        await saved(session, host)
        await saved(session, room)
        await saved(
            session,
            RoomParticipant(room_id=room.id, user_id=host.id, role="host"),
            RoomMessage(room_id=room.id, message="Meeting started", message_type="system"),
            RoomSetting(room_id=room.id, setting_key="lobby", setting_value=True),
            MeetingHistory(room_id=room.id, user_id=host.id),
        )
        room_id, host_id = room.id, host.id

    async with sessions.begin() as session:
        await session.execute(delete(Room).where(Room.id == room_id))

    async with sessions() as session:
        for model in (RoomParticipant, RoomMessage, RoomSetting, MeetingHistory):
            assert await count(session, model, room_id=room_id) == 0, model.__name__
        assert await count(session, User, id=host_id) == 1
