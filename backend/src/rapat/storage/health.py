"""Database readiness: reachable, and its schema at the migrations' head."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from rapat.storage import migrate


class SchemaNotCurrent(Exception):
    """The database answers but has not been migrated to the code's schema."""


async def check_database(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        has_table = await connection.run_sync(
            lambda sync: sync.dialect.has_table(sync, "alembic_version")
        )
        current = set()
        if has_table:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            current = {row[0] for row in rows}
    expected = set(migrate.heads())
    if current != expected:
        raise SchemaNotCurrent(
            f"schema at {sorted(current) or 'base'}, code expects {sorted(expected)}; "
            "run `rapat migrate upgrade`"
        )
