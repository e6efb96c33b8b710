"""The migrations build exactly the models' schema, both ways, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from rapat.storage import migrate
from rapat.storage.models import Base

HEAD = "0006"
SEED_TABLES = {
    "users",
    "rooms",
    "room_participants",
    "user_contacts",
    "user_sessions",
    "room_messages",
    "meeting_history",
    "user_settings",
    "room_settings",
    "notifications",
}
TABLES = SEED_TABLES | {
    "user_tokens",
    "user_avatars",
    "webhooks",
    "webhook_deliveries",
    "webhook_attempts",
    "room_reminders",
    "room_bans",
    "recordings",
}


async def table_names(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await engine.dispose()
    return set(names) - {"alembic_version"}


def test_the_scripts_have_a_single_head() -> None:
    assert migrate.heads() == [HEAD]


def test_the_models_hold_the_ten_seed_tables_and_the_additions() -> None:
    assert set(Base.metadata.tables) == TABLES


async def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    assert await migrate.current_async(database_url) is None

    await migrate.upgrade_async(database_url)
    assert await migrate.current_async(database_url) == HEAD
    assert await table_names(database_url) == TABLES

    await migrate.downgrade_async(database_url)
    assert await migrate.current_async(database_url) is None
    assert await table_names(database_url) == set()

    await migrate.upgrade_async(database_url)
    assert await migrate.current_async(database_url) == HEAD
    assert await migrate.check_drift_async(database_url) == []


async def test_upgrading_twice_changes_nothing(database_url: str) -> None:
    await migrate.upgrade_async(database_url)
    await migrate.upgrade_async(database_url)
    assert await migrate.current_async(database_url) == HEAD


async def test_downgrade_one_step(database_url: str) -> None:
    await migrate.upgrade_async(database_url)
    await migrate.downgrade_async(database_url, "-1")
    assert await migrate.current_async(database_url) == "0005"
    assert await table_names(database_url) == TABLES - {"recordings"}


async def forced_row_security(url: str) -> dict[str, tuple[bool, bool]]:
    """Tables with row security enabled or forced: name -> (enabled, forced)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE relkind = 'r' AND (relrowsecurity OR relforcerowsecurity)"
                )
            )
            return {name: (enabled, forced) for name, enabled, forced in rows}
    finally:
        await engine.dispose()


async def test_row_security_comes_and_goes_with_0005(postgres_url: str) -> None:
    await migrate.upgrade_async(postgres_url)
    sensitive = {"room_messages", "room_participants", "meeting_history", "recordings"}
    assert await forced_row_security(postgres_url) == dict.fromkeys(sensitive, (True, True))
    await migrate.downgrade_async(postgres_url, "0004")
    assert await forced_row_security(postgres_url) == {}
    await migrate.upgrade_async(postgres_url)
    assert await forced_row_security(postgres_url) == dict.fromkeys(sensitive, (True, True))


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    await migrate.upgrade_async(database_url)
    assert await migrate.check_drift_async(database_url) == []


async def test_drift_is_reported(database_url: str) -> None:
    await migrate.upgrade_async(database_url)
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP INDEX ix_rooms_scheduled_at"))
            await connection.execute(text("CREATE INDEX ix_users_last_name ON users (last_name)"))
    finally:
        await engine.dispose()

    drift = await migrate.check_drift_async(database_url)

    assert sorted(drift) == [
        "add_index: Index ix_rooms_scheduled_at",
        "remove_index: Index ix_users_last_name",
    ]


async def test_an_empty_database_drifts_by_every_table(database_url: str) -> None:
    drift = await migrate.check_drift_async(database_url)
    new_tables = {line for line in drift if line.startswith("add_table")}
    assert new_tables == {f"add_table: table {name}" for name in TABLES}


async def test_sync_functions_work_outside_the_event_loop(database_url: str) -> None:
    await asyncio.to_thread(migrate.upgrade, database_url)
    assert await asyncio.to_thread(migrate.current, database_url) == HEAD
    assert await asyncio.to_thread(migrate.check_drift, database_url) == []
    await asyncio.to_thread(migrate.downgrade, database_url, "base")
    assert await asyncio.to_thread(migrate.current, database_url) is None


async def test_sync_functions_refuse_a_running_event_loop(sqlite_url: str) -> None:
    with pytest.raises(RuntimeError, match="running event loop"):
        migrate.upgrade(sqlite_url)
    assert await migrate.current_async(sqlite_url) is None


async def test_plain_alembic_commands_open_their_own_connection(database_url: str) -> None:
    config = migrate.alembic_config(database_url)
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await migrate.current_async(database_url) == HEAD


async def test_concurrent_upgrades_wait_for_each_other(database_url: str) -> None:
    await asyncio.gather(
        *(migrate.upgrade_async(database_url) for _ in range(3)),
        *(asyncio.to_thread(migrate.upgrade, database_url) for _ in range(2)),
    )
    assert await migrate.current_async(database_url) == HEAD
    assert await migrate.check_drift_async(database_url) == []


async def test_nodes_sharing_postgres_take_turns(postgres_url: str) -> None:
    """Another node holds the migration lock: this one waits, then finds the work done."""
    other_node = create_async_engine(postgres_url)
    try:
        async with other_node.begin() as connection:
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": migrate._MIGRATION_LOCK_ID}
            )
            waiting = asyncio.create_task(migrate.upgrade_async(postgres_url))
            await asyncio.sleep(0.3)
            assert not waiting.done()
        await asyncio.wait_for(waiting, timeout=10)
    finally:
        await other_node.dispose()
    assert await migrate.current_async(postgres_url) == HEAD
