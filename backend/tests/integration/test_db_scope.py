"""`storage.scope`: every transaction tells PostgreSQL whom it acts for, only for itself;
SQLite, which has no row security, is told nothing and works the same (decision 46)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from rapat.storage import migrate
from rapat.storage.engine import create_engine, create_session_factory
from rapat.storage.scope import NOBODY, SYSTEM, DbScope, act_for, as_system, current_scope

SETTINGS = text(
    "SELECT current_setting('rapat.user_id', true), current_setting('rapat.scope', true)"
)


def test_each_scope_has_its_settings() -> None:
    user = uuid.uuid4()
    assert NOBODY.settings() == {"user_id": "", "scope": ""}
    assert SYSTEM.settings() == {"user_id": "", "scope": "system"}
    assert DbScope(user_id=user).settings() == {"user_id": str(user), "scope": "user"}


async def test_act_for_stays_in_its_task() -> None:
    user = uuid.uuid4()

    async def request() -> DbScope:
        act_for(user)
        return current_scope()

    assert await asyncio.create_task(request()) == DbScope(user_id=user)
    assert current_scope() == NOBODY


@pytest.fixture
async def one_connection(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    """One pooled connection, so consecutive transactions share it."""
    engine = create_engine(postgres_url, pool_size=1)
    yield engine
    await engine.dispose()


async def settings_seen(sessions: async_sessionmaker[AsyncSession]) -> tuple[str, str]:
    async with sessions() as session:
        user_id, scope = (await session.execute(SETTINGS)).one()
        return user_id or "", scope or ""


@pytest.mark.postgres
async def test_the_scope_lasts_one_transaction_only(one_connection: AsyncEngine) -> None:
    sessions = create_session_factory(one_connection)
    user = uuid.uuid4()

    async def as_user() -> tuple[str, str]:
        act_for(user)
        return await settings_seen(sessions)

    assert await asyncio.create_task(as_user()) == (str(user), "user")
    # The same connection, the next transaction: nothing of the last one is left.
    assert await settings_seen(sessions) == ("", "")
    assert await settings_seen(create_session_factory(one_connection, fixed=SYSTEM)) == (
        "",
        "system",
    )


@pytest.mark.postgres
async def test_as_system_widens_then_restores(one_connection: AsyncEngine) -> None:
    sessions = create_session_factory(one_connection)
    user = uuid.uuid4()

    async def as_user() -> list[tuple[str, str]]:
        act_for(user)
        async with sessions() as session:
            seen = [tuple((await session.execute(SETTINGS)).one())]
            async with as_system(session):
                seen.append(tuple((await session.execute(SETTINGS)).one()))
            seen.append(tuple((await session.execute(SETTINGS)).one()))
            return seen

    assert await asyncio.create_task(as_user()) == [
        (str(user), "user"),
        ("", "system"),
        (str(user), "user"),
    ]


async def test_sqlite_sessions_work_and_are_told_nothing(sqlite_url: str) -> None:
    await migrate.upgrade_async(sqlite_url)
    engine = create_engine(sqlite_url)
    try:
        sessions = create_session_factory(engine)
        act_for(uuid.uuid4())
        async with sessions() as session, as_system(session):
            assert (await session.execute(text("SELECT count(*) FROM room_messages"))).scalar() == 0
    finally:
        await engine.dispose()
