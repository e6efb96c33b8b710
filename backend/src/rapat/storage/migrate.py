"""Schema migrations, driven from code: no alembic.ini, the scripts ship inside the package.

The sync functions are for the CLI and other code with no event loop; inside a running loop
await the `*_async` variants instead.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Index, Table, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from sqlalchemy.schema import Column, Constraint, DefaultClause
from sqlalchemy.types import TypeEngine

from rapat.storage.engine import ensure_sqlite_directory
from rapat.storage.models import Base

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed number; every node that migrates at start-up takes the same PostgreSQL lock.
_MIGRATION_LOCK_ID = 0x72617061  # "rapa"
_ALEMBIC_IN_USE = threading.Lock()

T = TypeVar("T")


class MigrationError(RuntimeError):
    """The migrated database is not in a state the application can trust."""


def context_options() -> dict[str, Any]:
    """Options shared by migrations, autogenerate and the drift check."""
    return {
        "target_metadata": Base.metadata,
        "compare_type": True,
        "compare_server_default": True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        "render_as_batch": True,
    }


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # Config values go through configparser interpolation, where `%` is special.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migration_engine(url: str) -> AsyncEngine:
    """A one-connection engine for schema changes.

    Deliberately not `storage.engine.create_engine`: SQLite keeps foreign keys off here,
    because a batch migration rebuilds tables and, with them on, dropping the old table
    would cascade-delete child rows. Integrity is checked once the migration is done.
    """
    ensure_sqlite_directory(url)
    return create_async_engine(url, poolclass=NullPool)


def heads() -> list[str]:
    """The newest revision(s) of the migration scripts; exactly one in a healthy tree."""
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


async def upgrade_async(url: str, revision: str = "head") -> None:
    await _with_connection(
        url, lambda conn: _alembic(conn, url, command.upgrade, revision), exclusive=True
    )


async def downgrade_async(url: str, revision: str = "base") -> None:
    """Go back to `revision`: "base" (empty schema), "-1" (one step) or a revision id."""
    await _with_connection(
        url, lambda conn: _alembic(conn, url, command.downgrade, revision), exclusive=True
    )


async def current_async(url: str) -> str | None:
    """The revision the database is at; None if it was never migrated."""
    return await _with_connection(
        url, lambda conn: MigrationContext.configure(conn).get_current_revision()
    )


async def check_drift_async(url: str) -> list[str]:
    """Differences between the migrated database and the models; empty means none."""
    return await _with_connection(url, _compare_with_models)


def upgrade(url: str, revision: str = "head") -> None:
    _run_blocking(lambda: upgrade_async(url, revision))


def downgrade(url: str, revision: str = "base") -> None:
    _run_blocking(lambda: downgrade_async(url, revision))


def current(url: str) -> str | None:
    return _run_blocking(lambda: current_async(url))


def check_drift(url: str) -> list[str]:
    return _run_blocking(lambda: check_drift_async(url))


def describe_difference(difference: tuple[Any, ...] | list[Any]) -> str:
    """One readable line for an entry of alembic's autogenerate diff."""
    if isinstance(difference, list):
        return "; ".join(describe_difference(part) for part in difference)
    operation, *details = difference
    if operation.startswith("modify_") and len(details) == 6:
        _schema, table, column, _existing, old, new = details
        return f"{operation}: {table}.{column}: {_label(old)} -> {_label(new)}"
    labels = [_label(detail) for detail in details if detail is not None]
    return f"{operation}: {', '.join(labels)}" if labels else str(operation)


def _label(item: Any) -> str:
    if isinstance(item, Table):
        return f"table {item.name}"
    if isinstance(item, Column):
        return f"column {item.table.name}.{item.name}" if item.table is not None else item.name
    if isinstance(item, Index | Constraint):
        return f"{type(item).__name__} {item.name}"
    if isinstance(item, DefaultClause):
        return f"DEFAULT {getattr(item.arg, 'text', item.arg)}"
    if isinstance(item, TypeEngine | str):
        return str(item)
    return repr(item)


def _compare_with_models(connection: Connection) -> list[str]:
    context = MigrationContext.configure(connection, opts=context_options())
    return [describe_difference(entry) for entry in compare_metadata(context, Base.metadata)]


def _alembic(
    connection: Connection, url: str, run: Callable[[Config, str], None], revision: str
) -> None:
    config = alembic_config(url)
    # env.py picks this connection up instead of opening its own.
    config.attributes["connection"] = connection
    run(config, revision)
    if connection.dialect.name == "sqlite":
        _verify_sqlite_foreign_keys(connection)


def _verify_sqlite_foreign_keys(connection: Connection) -> None:
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if violations:
        raise MigrationError(f"foreign keys broken after migration: {violations[:10]}")


@asynccontextmanager
async def _alembic_to_ourselves() -> AsyncIterator[None]:
    # Alembic keeps the running migration in module globals, so two commands in one process
    # (two tasks or two threads) would trample each other. Polling keeps the event loop free
    # and leaves no lock behind when the waiting task is cancelled.
    while not _ALEMBIC_IN_USE.acquire(blocking=False):  # noqa: ASYNC110 (spans threads)
        await asyncio.sleep(0.02)
    try:
        yield
    finally:
        _ALEMBIC_IN_USE.release()


async def _with_connection(
    url: str, work: Callable[[Connection], T], *, exclusive: bool = False
) -> T:
    """Run `work` in one transaction.

    `exclusive` (for schema changes) admits one migrator at a time: one per process, and on
    PostgreSQL one across every node sharing the database.
    """
    engine = migration_engine(url)
    try:
        async with AsyncExitStack() as stack:
            if exclusive:
                await stack.enter_async_context(_alembic_to_ourselves())
            connection = await stack.enter_async_context(engine.begin())
            if connection.dialect.name == "sqlite":
                # Off while tables may be rebuilt; checked afterwards (see migration_engine).
                await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            elif connection.dialect.name == "postgresql":
                # Migrations see every row, even as an owner under FORCE ROW LEVEL SECURITY.
                await connection.execute(text("SELECT set_config('rapat.scope', 'system', true)"))
                if exclusive:
                    # Held until commit: other nodes wait here, then find nothing left to do.
                    await connection.execute(
                        text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
                    )
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


def _run_blocking(start: Callable[[], Coroutine[Any, Any, T]]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(start())
    raise RuntimeError(
        "called from a running event loop: await the *_async variant "
        "(or run this function in a thread with asyncio.to_thread)"
    )
