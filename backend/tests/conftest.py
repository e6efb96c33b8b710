"""Shared fixtures: each test gets its own clean database and its own Redis key space.

The real services are required; a test never skips because one is down, so CI proves them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest
import redis.asyncio as redis

POSTGRES_ADMIN_DSN = os.environ.get(
    "RAPAT_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("RAPAT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _asyncpg_to_sqlalchemy(dsn: str, database: str) -> str:
    base, _, _ = dsn.rpartition("/")
    return base.replace("postgresql://", "postgresql+asyncpg://", 1) + "/" + database


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'rapat.db'}"


@contextlib.asynccontextmanager
async def new_postgres_database() -> AsyncIterator[str]:
    """A brand-new PostgreSQL database (its SQLAlchemy URL), dropped afterwards."""
    name = f"rapat_test_{uuid4().hex[:16]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield _asyncpg_to_sqlalchemy(POSTGRES_ADMIN_DSN, name)
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A brand-new PostgreSQL database, dropped after the test."""
    async with new_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
        return str(request.getfixturevalue("postgres_url"))
    return str(request.getfixturevalue("sqlite_url"))


@pytest.fixture
def redis_prefix() -> str:
    """A key prefix no other test uses."""
    return f"rapat-test:{uuid4().hex[:12]}:"


@pytest.fixture
async def redis_client(redis_prefix: str) -> AsyncIterator[redis.Redis]:
    client: redis.Redis = redis.Redis.from_url(REDIS_URL, decode_responses=False)
    await client.ping()
    yield client
    keys = [key async for key in client.scan_iter(match=f"{redis_prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()
