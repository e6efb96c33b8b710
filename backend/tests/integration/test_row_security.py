"""Row-level security (migration 0005, decision 46): a query that forgot its own
`WHERE room_id = ...` still cannot read another room's messages, participants or history.

Superusers and the tables' owner-with-BYPASSRLS skip row security, so everything here runs
as a fresh LOGIN role with neither, the way production must connect (docs/operations.md).
The app is started as that role too: its usual flows keep working with the policies on.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from rapat.conference.meeting import ChatLine, MeetingService
from rapat.storage import migrate
from rapat.storage.engine import create_engine, create_session_factory
from rapat.storage.scope import SYSTEM, act_for
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_signaling import send, until, ws_url

pytestmark = pytest.mark.postgres

T = TypeVar("T")
SENSITIVE = ("room_messages", "room_participants", "meeting_history")


@dataclass(frozen=True)
class Rooms:
    """Room 1 is Ana's alone, room 2 Budi's alone; both have met and chatted."""

    client: TestClient
    ana: SignedIn
    budi: SignedIn
    room1: dict[str, Any]
    room2: dict[str, Any]


@pytest.fixture
async def app_url(postgres_url: str) -> AsyncIterator[str]:
    """The migrated database, reached as a role without SUPERUSER or BYPASSRLS."""
    await migrate.upgrade_async(postgres_url)
    role = f"rapat_app_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url)
    database = make_url(postgres_url).database
    grants = [
        f"CREATE ROLE {role} LOGIN PASSWORD 'app' NOSUPERUSER NOBYPASSRLS",
        f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    ]
    try:
        async with admin.begin() as connection:
            for statement in grants:
                await connection.execute(text(statement))
        yield make_url(postgres_url).set(username=role, password="app").render_as_string(False)
        async with admin.begin() as connection:
            await connection.execute(text(f"DROP OWNED BY {role}"))
            await connection.execute(text(f"DROP ROLE {role}"))
    finally:
        await admin.dispose()


@pytest.fixture
async def app_engine(app_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(app_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def rooms(app_url: str, app_engine: AsyncEngine, make_client: AppMaker) -> Rooms:
    """Built through the app running as the restricted role: sign-up, rooms, joining."""
    client = make_client(app_url, migrate_first=False)
    ana, budi = sign_up(client, "ana"), sign_up(client, "budi")
    room1, room2 = create_room(client, ana), create_room(client, budi)
    for who, room in ((ana, room1), (budi, room2)):
        assert join(client, who, room).status_code == 200
    return Rooms(client, ana, budi, room1, room2)


async def in_own_task(work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` in a task of its own, as a request is, so `act_for` stays inside it."""
    return await asyncio.create_task(_call(work))


async def _call(work: Callable[[], Awaitable[T]]) -> T:
    return await work()


async def rooms_seen(sessions: async_sessionmaker[AsyncSession], table: str) -> set[str]:
    async with sessions() as session:
        # No WHERE on purpose: only row security stands between this and every room.
        rows = await session.execute(text(f"SELECT room_id FROM {table}"))
        return {str(room_id) for (room_id,) in rows}


async def store_chat(engine: AsyncEngine, room: dict[str, Any], user: SignedIn) -> None:
    """As the signaling hub does for a member it admitted: with the system's sessions."""
    meetings = MeetingService(create_session_factory(engine, fixed=SYSTEM))
    line = ChatLine(
        uuid.uuid4(), uuid.UUID(room["id"]), uuid.UUID(user.user["id"]), "hi", datetime.now(UTC)
    )
    await meetings.store_chat([line])


async def test_the_role_under_test_cannot_skip_row_security(app_engine: AsyncEngine) -> None:
    async with app_engine.connect() as connection:
        rights = await connection.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        )
        assert rights.one() == (False, False)


async def test_a_query_without_where_sees_only_the_callers_rooms(
    rooms: Rooms, app_engine: AsyncEngine
) -> None:
    await store_chat(app_engine, rooms.room1, rooms.ana)
    await store_chat(app_engine, rooms.room2, rooms.budi)
    sessions = create_session_factory(app_engine)
    ana_id = uuid.UUID(rooms.ana.user["id"])

    async def as_ana() -> dict[str, set[str]]:
        act_for(ana_id)
        return {table: await rooms_seen(sessions, table) for table in SENSITIVE}

    seen = await in_own_task(as_ana)
    assert seen == {table: {rooms.room1["id"]} for table in SENSITIVE}


async def test_nobody_sees_nothing_and_the_system_sees_every_room(
    rooms: Rooms, app_engine: AsyncEngine
) -> None:
    await store_chat(app_engine, rooms.room1, rooms.ana)
    await store_chat(app_engine, rooms.room2, rooms.budi)
    both = {rooms.room1["id"], rooms.room2["id"]}
    nobody = create_session_factory(app_engine)
    system = create_session_factory(app_engine, fixed=SYSTEM)
    for table in SENSITIVE:
        assert await in_own_task(partial(rooms_seen, nobody, table)) == set()
        assert await in_own_task(partial(rooms_seen, system, table)) == both


async def test_a_user_cannot_write_a_message_into_another_room(
    rooms: Rooms, app_engine: AsyncEngine
) -> None:
    sessions = create_session_factory(app_engine)
    ana_id = uuid.UUID(rooms.ana.user["id"])

    async def post(room_id: str) -> None:
        act_for(ana_id)
        async with sessions.begin() as session:
            await session.execute(
                text(
                    "INSERT INTO room_messages (id, room_id, user_id, message, message_type) "
                    "VALUES (:id, :room, :user, 'hello', 'text')"
                ),
                {"id": uuid.uuid4(), "room": uuid.UUID(room_id), "user": ana_id},
            )

    await in_own_task(partial(post, rooms.room1["id"]))
    with pytest.raises(DBAPIError, match="row-level security"):
        await in_own_task(partial(post, rooms.room2["id"]))


async def test_without_0005_the_same_query_reads_every_room(
    postgres_url: str, rooms: Rooms, app_engine: AsyncEngine
) -> None:
    """The proof above can fail: take the policies away and the leak is there."""
    await store_chat(app_engine, rooms.room2, rooms.budi)
    await migrate.downgrade_async(postgres_url, "0004")
    sessions = create_session_factory(app_engine)
    ana_id = uuid.UUID(rooms.ana.user["id"])

    async def as_ana() -> set[str]:
        act_for(ana_id)
        return await rooms_seen(sessions, "room_messages")

    assert await in_own_task(as_ana) == {rooms.room2["id"]}


async def test_the_apps_flows_work_under_row_security(
    rooms: Rooms, app_engine: AsyncEngine
) -> None:
    client, ana = rooms.client, rooms.ana
    await store_chat(app_engine, rooms.room1, ana)
    messages = client.get(f"/api/v1/rooms/{rooms.room1['id']}/messages", headers=ana.headers)
    assert messages.status_code == 200, messages.text
    assert [item["message"] for item in messages.json()["items"]] == ["hi"]
    history = client.get("/api/v1/rooms/history", headers=ana.headers)
    assert history.status_code == 200, history.text
    assert {item["room"]["id"] for item in history.json()["items"]} == {rooms.room1["id"]}
    members = client.get(f"/api/v1/rooms/{rooms.room1['id']}/participants", headers=ana.headers)
    assert members.status_code == 200, members.text
    assert [member["user"]["id"] for member in members.json()] == [ana.user["id"]]
    left = client.post(f"/api/v1/rooms/{rooms.room1['id']}/leave", headers=ana.headers)
    assert left.status_code == 204, left.text


async def test_a_newcomer_counts_the_seats_of_a_room_they_are_not_in(rooms: Rooms) -> None:
    """Joining must see who is already there, though the newcomer is in none of it yet."""
    client, ana = rooms.client, rooms.ana
    small = create_room(client, ana, max_users=2)
    assert join(client, ana, small).status_code == 200
    citra, dewi = sign_up(client, "citra"), sign_up(client, "dewi")
    seen = client.get(f"/api/v1/rooms/{small['id']}", headers=citra.headers)
    assert seen.json()["participant_count"] == 1
    assert join(client, citra, small).status_code == 200
    full = join(client, dewi, small)
    assert full.status_code == 409, full.text
    assert full.json()["error"]["code"] == "room_full"


def test_the_meeting_socket_works_under_row_security(rooms: Rooms) -> None:
    """Admission, chat stored by the hub, and leaving, on the room socket."""
    client, ana = rooms.client, rooms.ana
    with client.websocket_connect(ws_url(rooms.room1, ana)) as socket:
        until(socket, "room_state")
        send(socket, "chat", {"text": "over the socket"}, id="c1")
        message_id = until(socket, "ack")["data"]["message_id"]
        send(socket, "leave_room", id="bye")
        assert until(socket, "ack")["id"] == "bye"
    stored = client.get(f"/api/v1/rooms/{rooms.room1['id']}/messages", headers=ana.headers)
    assert [item["id"] for item in stored.json()["items"]] == [message_id]
    left = client.get(f"/api/v1/rooms/{rooms.room1['id']}/participants", headers=ana.headers)
    assert left.json() == []
