"""Text from people, on SQLite and PostgreSQL: what the database cannot store is refused
at the edge with the field named (never a 500, never a failed batch for others), and text
others read holds no control or bidirectional override characters (domain/text.py)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_signaling import send, until, ws_url

NUL = "\x00"
OVERRIDE = "\u202e"  # right-to-left override: "evil\u202egnp.exe" reads as "evilexe.png"


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    fields = [item["field"] for item in error["details"]]
    assert any(field in name for name in fields), fields


def test_text_the_database_cannot_store_is_refused_where_it_arrives(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    # Before anyone is signed in: the login form.
    login = client.post("/api/v1/auth/login", json={"email": f"a{NUL}@x.io", "password": "p"})
    _refused(login, "email")
    host = sign_up(client, "host")
    headers = host.headers
    _refused(client.post("/api/v1/rooms", json={"name": f"Plan{NUL}"}, headers=headers), "name")
    profile = client.put("/api/v1/users/profile", json={"first_name": NUL}, headers=headers)
    _refused(profile, "first_name")
    settings = client.put(
        "/api/v1/users/settings", json={"settings": {"theme": f"x{NUL}"}}, headers=headers
    )
    _refused(settings, "settings")
    # In the address: the path and the query.
    for path in ("/api/v1/rooms/abc%00def", "/api/v1/users/search?q=ana%00"):
        response = client.get(path, headers=headers)
        assert response.status_code == 400, path
        assert response.json()["error"]["code"] == "invalid_input"
    assert client.get("/api/v1/rooms", headers=headers).status_code == 200


def test_names_others_read_hold_no_controls_or_overrides(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    host = sign_up(client, "host")
    headers = host.headers
    for name in (f"Pay{OVERRIDE}fdp.exe", "Tab\there", "Bell\x07", "C1\x85control"):
        _refused(client.post("/api/v1/rooms", json={"name": name}, headers=headers), "name")
    profile = client.put(
        "/api/v1/users/profile", json={"last_name": f"Lim{OVERRIDE}"}, headers=headers
    )
    _refused(profile, "last_name")
    bad_text = client.post(
        "/api/v1/rooms", json={"name": "Plan", "description": "a\x1bb"}, headers=headers
    )
    _refused(bad_text, "description")
    # Line breaks in a description, right-to-left names and their marks are fine.
    room = create_room(
        client, host, name="שיחת צוות\u200f", description="Agenda:\n\t1. Budget\r\n2. Hiring"
    )
    assert room["name"] == "שיחת צוות\u200f"
    assert room["description"] == "Agenda:\n\t1. Budget\r\n2. Hiring"


def _chat_room(client: TestClient) -> tuple[dict[str, Any], Any]:
    host = sign_up(client, "host")
    room = create_room(client, host)
    assert join(client, host, room).status_code == 200
    return room, host


def test_a_bad_chat_line_is_refused_and_fails_no_one_else(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    (room_a, ana), (room_b, budi) = _chat_room(client), _chat_room(client)
    with (
        client.websocket_connect(ws_url(room_a, ana)) as ana_ws,
        client.websocket_connect(ws_url(room_b, budi)) as budi_ws,
    ):
        until(ana_ws, "room_state")
        until(budi_ws, "room_state")
        send(ana_ws, "chat", {"text": f"hello{NUL}"}, id="bad")
        send(budi_ws, "chat", {"text": "agenda\nfirst: budget"}, id="good")
        refused = until(ana_ws, "error")
        assert (refused["id"], refused["data"]["code"]) == ("bad", "invalid_message")
        assert "NUL" in refused["data"]["message"]
        send(ana_ws, "chat", {"text": f"spoof{OVERRIDE}"}, id="spoof")
        spoof = until(ana_ws, "error")
        assert (spoof["id"], spoof["data"]["code"]) == ("spoof", "invalid_message")
        assert until(budi_ws, "ack")["id"] == "good"
        send(ana_ws, "chat", {"text": "still here"}, id="after")
        assert until(ana_ws, "ack")["id"] == "after"
    for room, who, expected in (
        (room_a, ana, ["still here"]),
        (room_b, budi, ["agenda\nfirst: budget"]),
    ):
        stored = client.get(f"/api/v1/rooms/{room['id']}/messages", headers=who.headers)
        assert [item["message"] for item in stored.json()["items"]] == expected


def test_a_websocket_address_with_nul_is_refused(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    room, host = _chat_room(client)
    url = ws_url(room, host).replace("roomId=", "roomId=%00")
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(url):
        pass  # refused before it is accepted
    assert refused.value.code == 1008
