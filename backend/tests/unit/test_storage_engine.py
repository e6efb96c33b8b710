from __future__ import annotations

import pytest

from rapat.storage.engine import is_sqlite, is_sqlite_memory, sqlite_pragmas


@pytest.mark.parametrize(
    ("url", "sqlite", "memory"),
    [
        ("sqlite+aiosqlite:///var/rapat.db", True, False),
        ("sqlite+aiosqlite://", True, True),
        ("sqlite+aiosqlite:///:memory:", True, True),
        ("postgresql+asyncpg://rapat@db/rapat", False, False),
    ],
)
def test_url_kinds(url: str, sqlite: bool, memory: bool) -> None:
    assert (is_sqlite(url), is_sqlite_memory(url)) == (sqlite, memory)


def test_every_sqlite_connection_enforces_foreign_keys() -> None:
    for in_memory in (True, False):
        assert "PRAGMA foreign_keys=ON" in sqlite_pragmas(in_memory=in_memory)


def test_files_use_wal_but_memory_cannot() -> None:
    assert "PRAGMA journal_mode=WAL" in sqlite_pragmas(in_memory=False)
    assert "PRAGMA journal_mode=WAL" not in sqlite_pragmas(in_memory=True)
