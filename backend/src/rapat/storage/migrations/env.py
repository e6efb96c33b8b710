"""Alembic environment for Rapat.

`rapat.storage.migrate` lends an open connection through `config.attributes`; when alembic
is started some other way, a connection is opened from `sqlalchemy.url`.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from rapat.storage.migrate import context_options, migration_engine

config = context.config


def run_offline() -> None:
    """Write the SQL to stdout instead of running it (`alembic upgrade --sql`)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **context_options(),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online(connection: Connection) -> None:
    context.configure(connection=connection, **context_options())
    with context.begin_transaction():
        context.run_migrations()


async def run_with_own_engine(url: str) -> None:
    engine = migration_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_online)
    finally:
        await engine.dispose()


def main() -> None:
    if context.is_offline_mode():
        run_offline()
        return
    lent: Connection | None = config.attributes.get("connection")
    if lent is not None:
        run_online(lent)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: set sqlalchemy.url or use rapat.storage.migrate")
    asyncio.run(run_with_own_engine(url))


main()
