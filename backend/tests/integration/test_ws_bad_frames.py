"""Frames that are the client's fault get a documented answer and the socket stays up;
nothing is logged as a server fault (1011 was the answer to both before)."""

from __future__ import annotations

import json

import pytest

from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.notifications_helpers import channel_url, next_event
from tests.integration.rooms_helpers import create_room, join
from tests.integration.server_faults import no_server_faults
from tests.integration.test_signaling import send, until, ws_url

DEEP = "[" * 200_000 + "]" * 200_000  # far past Python's recursion limit
NESTED_OBJECT = '{"type": "ping", "data": ' + '{"a": ' * 5_000 + "1" + "}" * 5_001


def test_signaling_answers_nesting_and_binary_frames(
    make_client: AppMaker, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(sqlite_url, ws_max_message_bytes=1024 * 1024)
    host = sign_up(client, "host")
    room = create_room(client, host)
    assert join(client, host, room).status_code == 200
    with no_server_faults(caplog), client.websocket_connect(ws_url(room, host)) as ws:
        until(ws, "room_state")
        for frame in (DEEP, NESTED_OBJECT):
            ws.send_text(frame)
            assert until(ws, "error")["data"]["code"] == "invalid_json"
        ws.send_bytes(json.dumps({"type": "ping", "id": "p"}).encode())
        assert until(ws, "pong")["id"] == "p"
        send(ws, "ping", id="still")
        assert until(ws, "pong")["id"] == "still"


def test_the_user_channel_answers_binary_and_nested_frames(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    who = sign_up(client, "ana")
    with client.websocket_connect(channel_url(who)) as ws:
        ws.send_bytes(b"\x00\x01binary")
        assert next_event(ws, "error")["data"]["code"] == "binary_frame"
        ws.send_text("[" * 600 + "]" * 600)
        assert next_event(ws, "error")["data"]["code"] in {"bad_json", "too_large"}
        ws.send_text(json.dumps({"type": "ping", "id": "p"}))
        assert next_event(ws, "pong")["id"] == "p"
