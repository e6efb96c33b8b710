"""Rooms placed across two `rapat serve` nodes that each announce a signaling URL
(decision 61): the API answers where a room lives, the other node sends a client there
(close code 4421), new rooms go to the less loaded node, and a node that stops frees its
rooms at once."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as redis
import websockets
from websockets.exceptions import ConnectionClosed

from tests.integration.test_signaling_nodes import (
    _free_port,
    _ready,
    _request,
    _sign_up,
    _until,
    node_env,
    serving,
)
from tests.waiting import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

MISDIRECTED = 4421


@pytest.fixture
def placed_nodes(
    postgres_url: str, redis_prefix: str, redis_client: redis.Redis, tmp_path: Path
) -> Iterator[tuple[list[str], list[Any]]]:
    """Two nodes with signaling URLs; records renewed every third of a second here, and
    one participant is a full node (so that load, not the CPU the test's requests cost,
    decides where rooms go)."""
    ports = [_free_port(), _free_port()]
    env = node_env(postgres_url, redis_prefix, tmp_path) | {
        "RAPAT_NODE_TTL": "1",
        "RAPAT_NODE_CAPACITY": "1",
    }
    per_node = [{"RAPAT_NODE_URL": f"ws://127.0.0.1:{port}/ws"} for port in ports]
    with serving(env, ports, per_node) as processes:
        yield [f"127.0.0.1:{port}" for port in ports], processes


def ws_url(base: str, room_id: str, who: dict[str, Any]) -> str:
    return f"{base}?roomId={room_id}&userId={who['user']['id']}&token={who['access_token']}"


def content_security_policy_of(base: str) -> str:
    with urllib.request.urlopen(f"http://{base}/healthz", timeout=10) as response:
        return str(response.headers["Content-Security-Policy"])


async def two_in_a_room(node_a: str, node_b: str) -> tuple[Any, Any, Any]:
    """Both nodes up; a host and a guest who joined one new room (through REST)."""
    for node in (node_a, node_b):
        await _ready(node)
    host, guest = await _sign_up(node_a, "Host"), await _sign_up(node_b, "Guest")
    room = await _request(node_a, "/api/v1/rooms", {"name": "Two"}, host["access_token"])
    for who in (host, guest):
        await _request(node_a, f"/api/v1/rooms/{room['id']}/join", {}, who["access_token"])
    return host, guest, room


@contextlib.asynccontextmanager
async def both_on(
    node: str, room: Any, host: Any, guest: Any
) -> AsyncIterator[tuple[websockets.ClientConnection, websockets.ClientConnection]]:
    """The host's and the guest's sockets on `node`, each past its room_state."""
    async with (
        websockets.connect(ws_url(f"ws://{node}/ws", room["id"], host)) as host_ws,
        websockets.connect(ws_url(f"ws://{node}/ws", room["id"], guest)) as guest_ws,
    ):
        await _until(host_ws, "room_state")
        await _until(guest_ws, "room_state")
        yield host_ws, guest_ws


async def close_code(socket: websockets.ClientConnection) -> int | None:
    """Read until the server closes the socket; its close code."""
    try:
        async with asyncio.timeout(10):
            while True:
                await socket.recv()
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd is not None else None


async def test_a_room_lives_on_one_node_and_the_other_sends_clients_there(
    placed_nodes: tuple[list[str], list[Any]],
) -> None:
    (node_a, node_b), _ = placed_nodes
    for node in (node_a, node_b):
        await _ready(node)

    async def csp_names_both() -> bool:  # a page may open either node's WebSocket
        policy = await asyncio.to_thread(content_security_policy_of, node_a)
        return all(f"ws://{node}" in policy for node in (node_a, node_b))

    await wait_until(csp_names_both, 10, "node a's pages to allow both nodes' sockets")
    host = await _sign_up(node_a, "Host")
    token = host["access_token"]
    room = await _request(node_a, "/api/v1/rooms", {"name": "Placed"}, token)
    await _request(node_a, f"/api/v1/rooms/{room['id']}/join", {}, token)
    path = f"/api/v1/rooms/{room['id']}/signaling"
    answer = await _request(node_a, path, token=token)
    assert await _request(node_b, path, token=token) == answer  # any node answers alike
    home = answer["url"]
    other = f"ws://{node_b if home.endswith(f'{node_a}/ws') else node_a}/ws"
    assert home in (f"ws://{node_a}/ws", f"ws://{node_b}/ws")
    assert other != home

    async with websockets.connect(ws_url(other, room["id"], host)) as stray:
        with pytest.raises(ConnectionClosed) as closed:
            await stray.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == MISDIRECTED

    async with websockets.connect(ws_url(home, room["id"], host)) as served:
        await _until(served, "room_state")

        # The home node now serves someone: the next room goes to the other node.
        async def next_room_elsewhere() -> bool:
            second = await _request(node_a, "/api/v1/rooms", {"name": "Next"}, token)
            placed = await _request(node_a, f"/api/v1/rooms/{second['id']}/signaling", token=token)
            return bool(placed["url"] == other)

        await wait_until(next_room_elsewhere, 10, "a new room placed on the idle node")


async def test_a_node_that_stops_sends_its_clients_to_the_rooms_new_home(
    placed_nodes: tuple[list[str], list[Any]],
) -> None:
    (node_a, node_b), processes = placed_nodes
    host, guest, room = await two_in_a_room(node_a, node_b)
    path = f"/api/v1/rooms/{room['id']}/signaling"
    # A client that reaches node a first makes it the room's home.
    async with both_on(node_a, room, host, guest) as (host_ws, guest_ws):
        answer = await _request(node_b, path, token=host["access_token"])
        assert answer["url"] == f"ws://{node_a}/ws"

        processes[0].send_signal(signal.SIGTERM)  # a planned stop: a drains first
        assert [await close_code(host_ws), await close_code(guest_ws)] == [MISDIRECTED] * 2

    moved = await _request(node_b, path, token=host["access_token"])
    assert moved["url"] == f"ws://{node_b}/ws"
    async with websockets.connect(ws_url(moved["url"], room["id"], host)) as again:
        state = await _until(again, "room_state")
    # the seats were kept: both are still in the meeting, nobody was recorded as gone
    people = {p["user_id"] for p in state["data"]["participants"]}
    assert people == {host["user"]["id"], guest["user"]["id"]}


async def test_a_killed_nodes_rooms_are_placed_anew_within_the_record_lifetime(
    placed_nodes: tuple[list[str], list[Any]],
) -> None:
    (node_a, node_b), processes = placed_nodes
    host, guest, room = await two_in_a_room(node_a, node_b)
    path = f"/api/v1/rooms/{room['id']}/signaling"
    async with both_on(node_a, room, host, guest) as (host_ws, guest_ws):
        await host_ws.send('{"type": "raise_hand", "data": {"raised": true}}')
        await _until(guest_ws, "participant_updated")
        processes[0].kill()  # no drain: the sockets just drop
        processes[0].wait(timeout=10)
        assert await close_code(host_ws) != MISDIRECTED

    async def rehomed() -> bool:
        answer = await _request(node_b, path, token=host["access_token"])
        return bool(answer["url"] == f"ws://{node_b}/ws")

    # RAPAT_NODE_TTL=1 here: a's record lapses within a second of its last renewal.
    await wait_until(rehomed, 3, "the room placed on the surviving node")
    async with websockets.connect(ws_url(f"ws://{node_b}/ws", room["id"], host)) as again:
        state = (await _until(again, "room_state"))["data"]
    people = {p["user_id"]: p for p in state["participants"]}
    assert set(people) == {host["user"]["id"], guest["user"]["id"]}  # seats kept (grace)
    assert people[host["user"]["id"]]["hand"] is True  # live state is in Redis
