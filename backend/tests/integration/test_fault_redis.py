"""Redis stops in the middle of a meeting's chat, then comes back (decision 45).

One `rapat serve` node on its own private Redis (the shared one is never touched) and the
shared PostgreSQL. Three people stream chat lines; Redis is stopped mid-stream. Then:
- every line acked to its sender was received live by every socket (all were connected
  until the node closed them);
- every line not acked that the server read got an error answer (`not_delivered`: it is
  stored; `unavailable`: it is not). Lines the client sent after the server began closing
  are never read, so never answered (the client fails them itself when the socket closes)
  and never stored;
- every socket closed with 1013;
and after Redis is back, everyone reconnects and the transcript (GET messages) holds every
stored line exactly once: every acked one and every `not_delivered` one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from rapat.storage import migrate
from tests.integration.test_signaling_nodes import RAPAT, _ready, _request, _sign_up
from tests.private_services import PrivateRedis, free_port
from tests.waiting import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

STOP_AFTER_ACKS = 30  # acked lines before Redis is stopped
MAX_LINES = 400  # per sender: the stream is bounded even if the node never closes
TRY_AGAIN_LATER = 1013


@dataclass
class Person:
    """One socket's view: what it sent, the answers it got, the lines it saw live."""

    name: str
    auth: dict[str, Any]
    sent: list[str] = field(default_factory=list)
    acked: dict[str, str] = field(default_factory=dict)  # request id -> message id
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)  # request id -> data
    seen: set[str] = field(default_factory=set)  # message ids of chat events
    close_code: int | None = None
    closed: bool = False
    answered: asyncio.Event = field(default_factory=asyncio.Event)  # set at every answer


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def node(postgres_url: str, redis_server: PrivateRedis, tmp_path: Path) -> Iterator[str]:
    migrate.upgrade(postgres_url)
    env = {key: value for key, value in os.environ.items() if not key.startswith("RAPAT_")}
    env |= {
        "RAPAT_ENV": "test",
        "RAPAT_DATABASE_URL": postgres_url,
        "RAPAT_REDIS_URL": redis_server.url,
        "RAPAT_SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "RAPAT_BCRYPT_ROUNDS": "4",
        "RAPAT_RATE_LIMITS_ENABLED": "false",
        "RAPAT_DATA_DIR": str(tmp_path),
        "RAPAT_LOG_LEVEL": "WARNING",
        "RAPAT_SFU_ENABLED": "false",
        "RAPAT_WS_MESSAGES_PER_SECOND": "1000",
        "RAPAT_WS_MESSAGE_BURST": "1000",
        # Longer than the outage: the seats wait for their people to come back.
        "RAPAT_WS_GRACE_PERIOD": "60",
    }
    port = free_port()
    with (tmp_path / "node.log").open("wb") as log:
        process = subprocess.Popen(
            [str(RAPAT), "serve", "--port", str(port)], env=env, stdout=log, stderr=log
        )
    try:
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def _url(node: str, room_id: str, person: Person) -> str:
    user, token = person.auth["user"]["id"], person.auth["access_token"]
    return f"ws://{node}/ws?roomId={room_id}&userId={user}&token={token}"


async def _listen(ws: websockets.ClientConnection, person: Person) -> None:
    """Record every answer and chat line until the server closes the socket."""
    try:
        async for raw in ws:
            event = json.loads(raw)
            match event["type"], event.get("id"):
                case "ack", str(request):
                    person.acked[request] = event["data"]["message_id"]
                    person.answered.set()
                case "error", str(request):
                    person.errors[request] = event["data"]
                    person.answered.set()
                case "chat", _:
                    person.seen.add(event["data"]["message_id"])
    except ConnectionClosed:
        pass
    person.close_code = ws.close_code
    person.closed = True
    person.answered.set()


async def _stream(ws: websockets.ClientConnection, person: Person) -> None:
    """Send lines, a few at a time ahead of the answers, until the socket closes."""
    with contextlib.suppress(ConnectionClosed):
        for n in range(MAX_LINES):
            request = f"{person.name}-{n}"
            person.sent.append(request)
            await ws.send(json.dumps({"type": "chat", "id": request, "data": {"text": request}}))
            # Not more than five lines ahead of the answers: a stream, not one burst.
            while len(person.sent) - len(person.acked) - len(person.errors) > 5:
                if person.closed:
                    return
                person.answered.clear()
                await person.answered.wait()


async def _connect(node: str, room_id: str, person: Person) -> websockets.ClientConnection:
    ws = await websockets.connect(_url(node, room_id, person))
    async with asyncio.timeout(10):
        while json.loads(await ws.recv())["type"] != "room_state":
            pass
    return ws


async def _transcript(node: str, room_id: str, token: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = await _request(
            node, f"/api/v1/rooms/{room_id}/messages?limit=100{cursor}", None, token
        )
        items += page["items"]
        if not page["next_cursor"]:
            return items
        cursor = f"&before={page['next_cursor']}"


async def test_chat_survives_redis_stopping_mid_stream(
    node: str, redis_server: PrivateRedis
) -> None:
    await _ready(node)
    people = [Person(name, await _sign_up(node, name.title())) for name in ("ana", "budi", "citra")]
    host = people[0].auth["access_token"]
    room_id = (await _request(node, "/api/v1/rooms", {"name": "Outage"}, host))["id"]
    for person in people:
        await _request(node, f"/api/v1/rooms/{room_id}/join", {}, person.auth["access_token"])
    sockets = [await _connect(node, room_id, person) for person in people]
    pairs = list(zip(sockets, people, strict=True))
    tasks = [asyncio.ensure_future(_listen(ws, p)) for ws, p in pairs]
    tasks += [asyncio.ensure_future(_stream(ws, p)) for ws, p in pairs]

    await wait_until(
        lambda: sum(len(p.acked) for p in people) >= STOP_AFTER_ACKS, 10, "lines acked"
    )
    await asyncio.to_thread(redis_server.stop)
    async with asyncio.timeout(10):  # every socket is closed by the node
        await asyncio.gather(*tasks)

    assert [p.close_code for p in people] == [TRY_AGAIN_LATER] * 3
    acked = {message for p in people for message in p.acked.values()}
    for person in people:
        missed = acked - person.seen
        assert not missed, f"{person.name} did not see {len(missed)} acked lines live"
    not_delivered = {
        data["message_id"]
        for p in people
        for data in p.errors.values()
        if data["code"] == "not_delivered"
    }
    assert {data["code"] for p in people for data in p.errors.values()} <= {
        "not_delivered",
        "unavailable",
    }
    unanswered = {r for p in people for r in p.sent if r not in p.acked and r not in p.errors}
    total = sum(len(p.sent) for p in people)
    print(
        f"{total} sent, {len(acked)} acked, {len(not_delivered)} not delivered, "
        f"{len(unanswered)} unanswered"
    )

    # While Redis is down, a new socket is told to come back later (not dropped with 1006
    # or failed with 1011), and the REST API still answers (sign-ins are then checked in
    # the database).
    async with websockets.connect(_url(node, room_id, people[0])) as refused:
        with pytest.raises(ConnectionClosed):
            async with asyncio.timeout(10):
                await refused.recv()
    assert refused.close_code == TRY_AGAIN_LATER
    assert (await _request(node, "/api/v1/users/profile", None, host))["id"]

    redis_server.start()

    async def ready() -> bool:
        try:
            await _request(node, "/readyz")
        except OSError:  # 503 until the bus answers again
            return False
        return True

    await wait_until(ready, 15, "the node to be ready again", interval=0.05)
    sockets = [await _connect(node, room_id, person) for person in people]
    # Live delivery works again: a line from one reaches the others.
    await sockets[1].send(json.dumps({"type": "chat", "id": "again", "data": {"text": "back"}}))
    async with asyncio.timeout(10):
        while (event := json.loads(await sockets[0].recv()))["type"] != "chat":
            pass
    assert event["data"]["text"] == "back"
    for ws in sockets:
        await ws.close()

    stored = await _transcript(node, room_id, host)
    lines = [item["id"] for item in stored if item["message"] != "back"]
    assert len(lines) == len(set(lines))  # nothing twice
    # Every acked line and every line reported stored is there; nothing else is (a line
    # the server never answered was never read, so never stored).
    assert set(lines) == acked | not_delivered
