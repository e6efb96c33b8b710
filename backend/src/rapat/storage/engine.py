"""Async engines and session factories for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

from rapat.storage.scope import DbScope, create_scoped_session_factory

SQLITE_BUSY_TIMEOUT_MS = 5_000
# PostgreSQL: opening a connection, and waiting for a pooled one, give up after these.
CONNECT_TIMEOUT_SECONDS = 5.0
POOL_TIMEOUT_SECONDS = 10.0


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def is_sqlite_memory(url: str | URL) -> bool:
    database = make_url(url).database
    return is_sqlite(url) and (not database or database == ":memory:")


def ensure_sqlite_directory(url: str | URL) -> None:
    """Create the folder of a SQLite file (SQLite creates the file, not its folder), so
    `rapat migrate upgrade` works in an empty directory with the default `./data/rapat.db`."""
    if is_sqlite(url) and not is_sqlite_memory(url):
        database = make_url(url).database
        if database and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)


def sqlite_pragmas(*, in_memory: bool) -> list[str]:
    """Settings every SQLite connection needs; SQLite forgets them when a connection closes."""
    pragmas = [
        # Off by default in SQLite; without it no foreign key or cascade is enforced.
        "PRAGMA foreign_keys=ON",
        # Wait for a competing writer instead of failing at once with "database is locked".
        f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    ]
    if not in_memory:
        # Readers no longer block the writer; NORMAL sync is safe with WAL.
        pragmas += ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"]
    return pragmas


def create_engine(url: str, *, echo: bool = False, pool_size: int | None = None) -> AsyncEngine:
    """An engine for `url`, set up the same way wherever the app or the tests run."""
    if is_sqlite(url):
        return _create_sqlite_engine(url, echo=echo, pool_size=pool_size)
    options: dict[str, Any] = {
        "echo": echo,
        # A connection that died while pooled (a server restart) is replaced at checkout,
        # so the app recovers from an outage by itself.
        "pool_pre_ping": True,
        # Bounded waits: during an outage a request fails (503) in seconds, not minutes.
        "pool_timeout": POOL_TIMEOUT_SECONDS,
        "connect_args": {"timeout": CONNECT_TIMEOUT_SECONDS},
    }
    if pool_size is not None:
        options["pool_size"] = pool_size
    return _create_async_engine(url, **options)


def _create_sqlite_engine(url: str, *, echo: bool, pool_size: int | None) -> AsyncEngine:
    in_memory = is_sqlite_memory(url)
    ensure_sqlite_directory(url)
    options: dict[str, Any] = {"echo": echo}
    if pool_size is not None and not in_memory:  # an in-memory database has one connection
        options["pool_size"] = pool_size
    engine = _create_async_engine(url, **options)
    pragmas = sqlite_pragmas(in_memory=in_memory)

    @event.listens_for(engine.sync_engine, "connect")
    def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()

    return engine


def create_session_factory(
    engine: AsyncEngine, *, fixed: DbScope | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions that act for the caller (or for `fixed`) under row-level security."""
    return create_scoped_session_factory(engine, fixed=fixed)
