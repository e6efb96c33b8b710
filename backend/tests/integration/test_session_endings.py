"""An ended sign-in session ends everywhere at once: its room sockets (`/ws`) and its
user channels (`/ws/user`) get `session_ended` and close with 4401 within a second, not
when the access token expires. Other sessions of the same person stay connected."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from tests.integration.accounts_helpers import PASSWORD, SignedIn, login, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.notifications_helpers import channel_url
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_signaling import receive, until, ws_url

WITHIN = 1.0  # seconds


def _ended_within_a_second(ws: WebSocketTestSession, *, user_channel: bool = False) -> None:
    """The socket says `session_ended`, then closes with 4401, each within WITHIN."""
    for _ in range(20):
        if user_channel:
            event: dict[str, Any] = json.loads(ws.receive_text())
        else:
            event = receive(ws, timeout=WITHIN)
        if event["type"] == "error":
            assert event["data"]["code"] == "session_ended"
            break
    else:
        raise AssertionError("no session_ended")
    with pytest.raises(WebSocketDisconnect) as closed:  # noqa: PT012 (events may come first)
        for _ in range(20):
            if user_channel:
                ws.receive_text()
            else:
                receive(ws, timeout=WITHIN)
    assert closed.value.code == 4401


def _session_id(client: TestClient, who: SignedIn) -> str:
    sessions = client.get("/api/v1/auth/sessions", headers=who.headers).json()
    return str(next(s["id"] for s in sessions if s["current"]))


def _in_a_room(client: TestClient, who: SignedIn) -> dict[str, Any]:
    room = create_room(client, who)
    assert join(client, who, room).status_code == 200
    return room


def _two_devices(client: TestClient) -> tuple[SignedIn, SignedIn, dict[str, Any]]:
    """One person signed in twice (a laptop in a meeting, a phone), and the room."""
    laptop = sign_up(client, "ana")
    phone = login(client, laptop.email)
    return laptop, phone, _in_a_room(client, laptop)


def test_revoking_a_session_closes_its_sockets_and_no_others(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    laptop, phone, room = _two_devices(client)
    with (
        client.websocket_connect(ws_url(room, laptop)) as meeting,
        client.websocket_connect(channel_url(laptop)) as laptop_channel,
        client.websocket_connect(channel_url(phone)) as phone_channel,
    ):
        until(meeting, "room_state")
        assert json.loads(laptop_channel.receive_text())["type"] == "ready"
        assert json.loads(phone_channel.receive_text())["type"] == "ready"
        revoked = client.delete(
            f"/api/v1/auth/sessions/{_session_id(client, laptop)}", headers=phone.headers
        )
        assert revoked.status_code == 204
        _ended_within_a_second(meeting)
        _ended_within_a_second(laptop_channel, user_channel=True)
        phone_channel.send_text(json.dumps({"type": "ping", "id": "p"}))
        assert json.loads(phone_channel.receive_text())["type"] == "pong"
    # The ended session cannot come back; the other one can.
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(ws_url(room, laptop)) as again,
    ):
        receive(again)
    assert refused.value.code == 4401
    with client.websocket_connect(ws_url(room, phone)) as other:
        until(other, "room_state")


def test_signing_out_closes_that_sessions_sockets(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    ana = sign_up(client, "ana")
    room = _in_a_room(client, ana)
    with client.websocket_connect(ws_url(room, ana)) as meeting:
        until(meeting, "room_state")
        assert client.post("/api/v1/auth/logout", headers=ana.headers).status_code == 204
        _ended_within_a_second(meeting)


def test_a_password_change_closes_the_other_sessions_sockets(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    laptop, phone, room = _two_devices(client)
    with (
        client.websocket_connect(ws_url(room, laptop)) as old,
        client.websocket_connect(channel_url(phone)) as current,
    ):
        until(old, "room_state")
        assert json.loads(current.receive_text())["type"] == "ready"
        changed = client.put(
            "/api/v1/users/password",
            json={"current_password": PASSWORD, "new_password": "a new green tea at five"},
            headers=phone.headers,
        )
        assert changed.status_code == 204, changed.text
        _ended_within_a_second(old)
        current.send_text(json.dumps({"type": "ping", "id": "still"}))
        assert json.loads(current.receive_text())["id"] == "still"
