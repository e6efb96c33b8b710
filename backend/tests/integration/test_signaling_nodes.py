"""Two `rapat serve` processes sharing PostgreSQL and Redis: people connected to
different nodes meet in one room."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import redis.asyncio as redis
import websockets

from rapat.storage import migrate
from tests.conftest import REDIS_URL
from tests.waiting import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

RAPAT = Path(sys.executable).with_name("rapat")
PASSWORD = "correct horse battery staple"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def node_env(postgres_url: str, redis_prefix: str, tmp_path: Path) -> dict[str, str]:
    """The environment of nodes on one (migrated) database and one Redis key space."""
    migrate.upgrade(postgres_url)
    env = {key: value for key, value in os.environ.items() if not key.startswith("RAPAT_")}
    return env | {
        "RAPAT_ENV": "test",
        "RAPAT_DATABASE_URL": postgres_url,
        "RAPAT_REDIS_URL": REDIS_URL,
        "RAPAT_CACHE_KEY_PREFIX": redis_prefix,
        "RAPAT_SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "RAPAT_BCRYPT_ROUNDS": "4",
        "RAPAT_RATE_LIMITS_ENABLED": "false",
        "RAPAT_DATA_DIR": str(tmp_path),
        "RAPAT_LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def serving(
    env: dict[str, str], ports: list[int], per_node: list[dict[str, str]]
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`rapat serve` on each port (with that node's extra environment), stopped after."""
    processes = [
        subprocess.Popen(
            [str(RAPAT), "serve", "--port", str(port)],
            env=env | extra,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("RAPAT_TEST_NODE_LOGS") else subprocess.DEVNULL,
        )
        for port, extra in zip(ports, per_node, strict=True)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


@pytest.fixture
def nodes(
    postgres_url: str, redis_prefix: str, redis_client: redis.Redis, tmp_path: Path
) -> Iterator[list[str]]:
    """Base URLs of two nodes on one database and one Redis key space."""
    ports = [_free_port(), _free_port()]
    with serving(node_env(postgres_url, redis_prefix, tmp_path), ports, [{}, {}]):
        yield [f"127.0.0.1:{port}" for port in ports]


def _call(base: str, path: str, body: Any = None, token: str | None = None) -> Any:
    """One JSON request (blocking; run it in a thread)."""
    request = urllib.request.Request(
        f"http://{base}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


async def _request(base: str, path: str, body: Any = None, token: str | None = None) -> Any:
    return await asyncio.to_thread(_call, base, path, body, token)


async def _ready(base: str) -> None:
    async def healthy() -> bool:
        try:
            await _request(base, "/healthz")
        except (OSError, urllib.error.URLError):
            return False
        return True

    await wait_until(healthy, 15, f"{base} to start", interval=0.05)


async def _sign_up(base: str, first_name: str) -> dict[str, Any]:
    email = f"{first_name.lower()}-{uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "first_name": first_name, "last_name": "X"}
    await _request(base, "/api/v1/auth/register", body)
    signed_in: dict[str, Any] = await _request(
        base, "/api/v1/auth/login", {"email": email, "password": PASSWORD}
    )
    return signed_in


async def _until(ws: websockets.ClientConnection, kind: str) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while True:
            event: dict[str, Any] = json.loads(await ws.recv())
            if event["type"] == kind:
                return event


async def test_people_on_two_nodes_see_each_other(nodes: list[str]) -> None:
    node_a, node_b = nodes
    for node in nodes:
        await _ready(node)
    host, guest = await _sign_up(node_a, "Host"), await _sign_up(node_b, "Guest")
    room = await _request(node_a, "/api/v1/rooms", {"name": "Two nodes"}, host["access_token"])
    room_id = room["id"]
    await _request(node_a, f"/api/v1/rooms/{room_id}/join", {}, host["access_token"])
    await _request(node_b, f"/api/v1/rooms/{room_id}/join", {}, guest["access_token"])

    def url(node: str, who: dict[str, Any]) -> str:
        return (
            f"ws://{node}/ws?roomId={room_id}&userId={who['user']['id']}"
            f"&token={who['access_token']}"
        )

    async with websockets.connect(url(node_a, host)) as host_ws:
        # The host is in (subscribed) before the guest connects, so it sees the guest join.
        await _until(host_ws, "room_state")
        guest_ws = await websockets.connect(url(node_b, guest))
        joined = await _until(host_ws, "participant_joined")
        assert joined["data"]["participant"]["user_id"] == guest["user"]["id"]
        state = await _until(guest_ws, "room_state")
        assert {p["user_id"] for p in state["data"]["participants"]} == {
            host["user"]["id"],
            guest["user"]["id"],
        }
        await guest_ws.send(json.dumps({"type": "chat", "data": {"text": "from node b"}}))
        chat = await _until(host_ws, "chat")
        assert chat["data"]["text"] == "from node b"
        await host_ws.send(json.dumps({"type": "mute", "data": {"muted": True}}))
        updated = (await _until(guest_ws, "participant_updated"))["data"]["participant"]
        assert (updated["user_id"], updated["muted"]) == (host["user"]["id"], True)
        await guest_ws.send(json.dumps({"type": "leave_room"}))
        left = await _until(host_ws, "participant_left")
        assert left["data"] == {"user_id": guest["user"]["id"], "reason": "left"}
        await guest_ws.close()
