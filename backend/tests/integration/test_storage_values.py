"""Values survive the round trip the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from rapat.storage import migrate
from rapat.storage.engine import create_engine, create_session_factory
from rapat.storage.models import Room, RoomMessage, User, UserSetting, is_meeting_code
from rapat.storage.uow import UnitOfWork

Sessions = async_sessionmaker[AsyncSession]
JAKARTA = timezone(timedelta(hours=7))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    await migrate.upgrade_async(database_url)
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> Sessions:
    return create_session_factory(engine)


def new_user(**values: Any) -> User:
    defaults = {
        "email": f"{uuid4().hex[:10]}@example.com",
        "password_hash": "$2b$12$" + "x" * 53,
        "first_name": "Budi",
        "last_name": "Santoso",
    }
    return User(**(defaults | values))


async def test_timestamps_come_back_aware_in_utc(sessions: Sessions) -> None:
    login = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=JAKARTA)
    async with sessions.begin() as session:
        user = new_user(last_login=login)
        session.add(user)

    async with sessions() as session:
        stored = await session.get_one(User, user.id)

    for value in (stored.last_login, stored.created_at, stored.updated_at):
        assert value is not None
        assert value.tzinfo is UTC
    assert stored.last_login == login
    assert stored.last_login.hour == 2  # 09:30 in Jakarta is 02:30 UTC
    assert abs(stored.created_at - datetime.now(UTC)) < timedelta(minutes=1)


async def test_server_default_timestamps_are_utc_too(sessions: Sessions) -> None:
    """Rows written by plain SQL get the database's clock, read back the same way."""
    user_id = uuid4()
    async with sessions.begin() as session:
        await session.execute(
            text(
                "INSERT INTO users (id, email, password, first_name, last_name)"
                " VALUES (:id, 'sql@example.com', 'x', 'Sri', 'Wahyuni')"
            ),
            {"id": user_id.hex if session.bind.dialect.name == "sqlite" else user_id},
        )

    async with sessions() as session:
        stored = await session.get_one(User, user_id)

    assert stored.created_at.tzinfo is UTC
    assert abs(stored.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert (stored.status, stored.email_verified) == ("active", False)


async def test_naive_datetimes_are_refused(sessions: Sessions) -> None:
    async with sessions() as session:
        session.add(new_user(last_login=datetime(2026, 3, 1, 9, 30)))
        with pytest.raises(StatementError, match="naive datetime"):
            await session.flush()


async def test_updated_at_moves_on_update(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        user = new_user()
        session.add(user)
    created = user.updated_at

    async with sessions.begin() as session:
        stored = await session.get_one(User, user.id)
        stored.first_name = "Budiman"

    assert stored.updated_at > created
    assert stored.created_at == user.created_at


async def test_messages_read_back_in_the_order_they_were_written(sessions: Sessions) -> None:
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    async with sessions.begin() as session:
        host = new_user()
        room = Room(name="Standup", host=host)
        session.add(room)
        # Written out of order, across a date boundary in Jakarta time.
        for minutes in (30, 5, 900, 0):
            at = (start + timedelta(minutes=minutes)).astimezone(JAKARTA)
            session.add(RoomMessage(room=room, user=host, message=str(minutes), created_at=at))

    async with sessions() as session:
        query = (
            select(RoomMessage.message)
            .where(RoomMessage.room_id == room.id)
            .order_by(RoomMessage.created_at)
        )
        assert (await session.scalars(query)).all() == ["0", "5", "30", "900"]


async def test_email_is_stored_normalised(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        session.add(new_user(email="  Ayu.Lestari@Example.COM "))

    async with sessions() as session:
        emails = (await session.scalars(select(User.email))).all()
    assert emails == ["ayu.lestari@example.com"]


async def test_a_new_room_gets_a_meeting_code_and_defaults(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        room = Room(name="Retro", host=new_user())
        session.add(room)

    async with sessions() as session:
        stored = await session.get_one(Room, room.id)
    assert is_meeting_code(stored.meeting_code)
    assert (stored.status, stored.max_users, stored.persistent) == ("active", 10, False)
    assert stored.duration_minutes is None


async def test_setting_values_keep_their_json_type(sessions: Sessions) -> None:
    values: dict[str, Any] = {
        "object": {"camera": "off", "volume": 0.8},
        "list": ["en", "id"],
        "bool": True,
        "int": 42,
        "string": "dark",
        "null": None,
    }
    async with sessions.begin() as session:
        user = new_user()
        for key, value in values.items():
            session.add(UserSetting(user=user, setting_key=key, setting_value=value))

    async with sessions() as session:
        rows = await session.execute(select(UserSetting.setting_key, UserSetting.setting_value))
        stored = dict(rows.all())
    assert stored == values
    assert {key: type(value) for key, value in stored.items()} == {
        key: type(value) for key, value in values.items()
    }


async def test_unit_of_work_commits_on_success(sessions: Sessions) -> None:
    async with UnitOfWork(sessions) as uow:
        uow.session.add(new_user(email="kept@example.com"))

    async with sessions() as session:
        assert await session.scalar(select(User.email)) == "kept@example.com"


async def test_unit_of_work_rolls_back_on_error(sessions: Sessions) -> None:
    async def failing_service() -> None:
        async with UnitOfWork(sessions) as uow:
            uow.session.add(new_user())
            await uow.session.flush()
            raise LookupError("the service gave up")

    with pytest.raises(LookupError):
        await failing_service()

    async with sessions() as session:
        assert await session.scalar(select(User.id)) is None


async def test_unit_of_work_session_only_inside_the_block(sessions: Sessions) -> None:
    uow = UnitOfWork(sessions)
    with pytest.raises(RuntimeError, match="inside"):
        _ = uow.session
    async with uow:
        with pytest.raises(RuntimeError, match="already in use"):
            await uow.__aenter__()
    with pytest.raises(RuntimeError, match="inside"):
        _ = uow.session


async def test_sqlite_connections_enforce_foreign_keys_and_use_wal(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url, pool_size=2)
    try:
        async with engine.connect() as connection:
            pragmas = [
                (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("foreign_keys", "journal_mode", "busy_timeout")
            ]
    finally:
        await engine.dispose()
    assert pragmas == [1, "wal", 5000]


async def test_in_memory_sqlite_works() -> None:
    engine = create_engine("sqlite+aiosqlite://", pool_size=3)
    try:
        async with engine.connect() as connection:
            assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    finally:
        await engine.dispose()


async def test_postgres_engine_pings_pooled_connections(postgres_url: str) -> None:
    engine = create_engine(postgres_url, pool_size=2)
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT 1"))).scalar() == 1
        assert engine.pool._pre_ping  # type: ignore[attr-defined]
        assert engine.pool.size() == 2  # type: ignore[attr-defined]
    finally:
        await engine.dispose()
