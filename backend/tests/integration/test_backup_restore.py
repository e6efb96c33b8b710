"""The restore drill of docs/deployment.md ("Backup and restore"): a database with real
rows dumped with `pg_dump`, restored with `pg_restore` into a new database, and the app
on the restored one, under the same secret, signs people in and reads their rooms and
their sessions' encrypted columns."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import new_postgres_database
from tests.integration.accounts_helpers import login, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room

pytestmark = pytest.mark.postgres


@pytest.fixture
async def restored_url() -> AsyncIterator[str]:
    async with new_postgres_database() as url:
        yield url


def libpq(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def postgres_tool(name: str, *arguments: str) -> None:
    tool = shutil.which(name)
    assert tool, f"{name} is missing: apt-get install postgresql-client"
    done = subprocess.run(
        [tool, *arguments], check=False, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_a_dump_restored_into_a_new_database_serves_the_same_people_and_rooms(
    make_client: AppMaker, postgres_url: str, restored_url: str, tmp_path: Path
) -> None:
    before = make_client(postgres_url)
    host = sign_up(before, "host")
    room = create_room(before, host, name="Kept")

    dump = tmp_path / "rapat.dump"
    postgres_tool("pg_dump", "--format=custom", f"--file={dump}", libpq(postgres_url))
    postgres_tool("pg_restore", "--no-owner", f"--dbname={libpq(restored_url)}", str(dump))

    after = make_client(restored_url)  # migrates first: already at the head, nothing to do
    again = login(after, host.email)
    assert after.get("/readyz").status_code == 200
    read = after.get(f"/api/v1/rooms/{room['id']}", headers=again.headers)
    assert read.status_code == 200, read.text
    assert read.json()["name"] == "Kept"
    # The first session's address, encrypted at rest, reads back under the same secret.
    sessions = after.get("/api/v1/auth/sessions", headers=again.headers)
    assert sessions.status_code == 200, sessions.text
    assert len(sessions.json()) == 2
    assert {session["ip_address"] for session in sessions.json()} == {"testclient"}
    # A token signed before the dump still works: the secret went with it.
    assert after.get("/api/v1/users/profile", headers=host.headers).status_code == 200
