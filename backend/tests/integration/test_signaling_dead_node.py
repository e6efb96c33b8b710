"""A node dies (kill -9) while serving someone: another node closes their participation
in the database and tells the room, within lease + grace + sweep interval."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as redis
import websockets

from rapat.storage import migrate
from tests.conftest import REDIS_URL
from tests.integration.test_signaling_nodes import (
    RAPAT,
    _free_port,
    _ready,
    _request,
    _sign_up,
    _until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

LEASE, GRACE, SWEEP = 1.0, 1.0, 0.5


@pytest.fixture
def processes(
    postgres_url: str, redis_prefix: str, redis_client: redis.Redis, tmp_path: Path
) -> Iterator[list[tuple[str, subprocess.Popen[bytes]]]]:
    """Two nodes with short leases, as (base URL, process)."""
    migrate.upgrade(postgres_url)
    env = {key: value for key, value in os.environ.items() if not key.startswith("RAPAT_")}
    env |= {
        "RAPAT_ENV": "test",
        "RAPAT_DATABASE_URL": postgres_url,
        "RAPAT_REDIS_URL": REDIS_URL,
        "RAPAT_CACHE_KEY_PREFIX": redis_prefix,
        "RAPAT_SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "RAPAT_BCRYPT_ROUNDS": "4",
        "RAPAT_RATE_LIMITS_ENABLED": "false",
        "RAPAT_DATA_DIR": str(tmp_path),
        "RAPAT_LOG_LEVEL": "WARNING",
        "RAPAT_SFU_ENABLED": "false",
        "RAPAT_WS_NODE_LEASE": str(LEASE),
        "RAPAT_WS_GRACE_PERIOD": str(GRACE),
        "RAPAT_WS_SWEEP_INTERVAL": str(SWEEP),
    }
    ports = [_free_port(), _free_port()]
    started = [
        subprocess.Popen(
            [str(RAPAT), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        yield [(f"127.0.0.1:{port}", process) for port, process in zip(ports, started, strict=True)]
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
        for process in started:
            process.wait(timeout=15)


async def test_a_killed_nodes_participant_leaves_the_meeting(
    processes: list[tuple[str, subprocess.Popen[bytes]]],
) -> None:
    (node_a, _), (node_b, process_b) = processes
    for node, _ in processes:
        await _ready(node)
    host, guest = await _sign_up(node_a, "Host"), await _sign_up(node_b, "Guest")
    room = await _request(node_a, "/api/v1/rooms", {"name": "Dead node"}, host["access_token"])
    room_id = room["id"]
    await _request(node_a, f"/api/v1/rooms/{room_id}/join", {}, host["access_token"])
    await _request(node_b, f"/api/v1/rooms/{room_id}/join", {}, guest["access_token"])

    def url(node: str, who: dict[str, Any]) -> str:
        return (
            f"ws://{node}/ws?roomId={room_id}&userId={who['user']['id']}"
            f"&token={who['access_token']}"
        )

    async with websockets.connect(url(node_a, host)) as host_ws:
        await _until(host_ws, "room_state")
        # The client offered permessage-deflate; RAPAT_WS_COMPRESSION is off by default.
        assert host_ws.response is not None
        assert "Sec-WebSocket-Extensions" not in host_ws.response.headers
        guest_ws = await websockets.connect(url(node_b, guest))
        await _until(guest_ws, "room_state")
        await _until(host_ws, "participant_joined")

        process_b.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        process_b.wait(timeout=10)
        bound = LEASE + GRACE + SWEEP
        left = await _until(host_ws, "participant_left")
        waited = time.monotonic() - killed
        assert left["data"] == {"user_id": guest["user"]["id"], "reason": "disconnected"}
        # Not before the lease and grace ran out, and not much after the next sweep.
        assert LEASE + GRACE - 0.5 <= waited <= bound + 3.0, waited
        print(f"participant_left {waited:.2f} s after kill -9 (bound {bound:.1f} s)")
        guest_ws.transport.abort()  # its node is gone: nothing to close politely

    members = await _request(
        node_a, f"/api/v1/rooms/{room_id}/participants", token=host["access_token"]
    )
    assert [m["user"]["id"] for m in members] == [host["user"]["id"]]
    history = await _request(node_a, "/api/v1/rooms/history", token=guest["access_token"])
    assert history["items"][0]["left_at"] is not None
