"""The waiting room across two `rapat serve` processes sharing PostgreSQL and Redis
(decision 59): a guest knocks on one node, the host on the other hears it and admits
them, and the guest's user channel on the first node is told."""

from __future__ import annotations

import json
from typing import Any

import pytest
import websockets

from tests.integration.test_signaling_nodes import (
    _ready,
    _request,
    _sign_up,
    _until,
    nodes,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
__all__ = ["nodes"]  # the fixture, used by name


async def test_a_guest_waiting_on_one_node_is_admitted_from_the_other(nodes: list[str]) -> None:
    node_a, node_b = nodes
    for node in nodes:
        await _ready(node)
    host, guest = await _sign_up(node_a, "Host"), await _sign_up(node_b, "Guest")
    token = host["access_token"]
    body = {"name": "Two nodes", "settings": {"lobby_enabled": True}}
    room = await _request(node_a, "/api/v1/rooms", body, token)
    room_id, guest_id = room["id"], guest["user"]["id"]
    await _request(node_a, f"/api/v1/rooms/{room_id}/join", {}, token)
    room_ws = f"ws://{node_a}/ws?roomId={room_id}&userId={host['user']['id']}&token={token}"
    channel = f"ws://{node_b}/ws/user?token={guest['access_token']}"

    async with websockets.connect(room_ws) as host_ws, websockets.connect(channel) as guest_ch:
        assert (await _until(host_ws, "lobby_waiting"))["data"] == {"waiting": []}
        await _until(guest_ch, "ready")
        knock: dict[str, Any] = await _request(
            node_b, f"/api/v1/rooms/{room_id}/join", {}, guest["access_token"]
        )
        assert knock["status"] == "waiting"
        waiting = (await _until(host_ws, "lobby_waiting"))["data"]["waiting"]
        assert [entry["user_id"] for entry in waiting] == [guest_id]

        await host_ws.send(json.dumps({"type": "admit", "id": "a", "data": {"userId": guest_id}}))
        assert (await _until(host_ws, "ack"))["id"] == "a"
        admitted = await _until(guest_ch, "lobby_admitted")
        assert admitted["data"]["room_id"] == room_id
        seated = await _request(node_b, f"/api/v1/rooms/{room_id}/join", {}, guest["access_token"])
        assert seated["participant"]["user"]["id"] == guest_id
