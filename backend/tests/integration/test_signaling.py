"""Signaling through the real stack: the app, its database and the in-process bus."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import anyio
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from rapat.domain.presence import IN_MEETING
from rapat.services.session_endings import SESSIONS_ENDED
from rapat.signaling import SignalingHub
from rapat.signaling.nodes import Seat, seats_group
from tests.integration.accounts_helpers import SignedIn, login, sign_up
from tests.integration.app_fixtures import AppMaker, runtime
from tests.integration.rooms_helpers import create_room, join


def ws_url(room: dict[str, Any], who: SignedIn, token: str | None = None) -> str:
    return (
        f"/ws?roomId={room['id']}&userId={who.user['id']}"
        f"&token={token if token is not None else who.access_token}"
    )


def receive(ws: WebSocketTestSession, timeout: float = 5.0) -> dict[str, Any]:
    """The next event; raises WebSocketDisconnect on close and fails instead of hanging."""

    async def get() -> Any:
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()

    message = ws.portal.call(get)
    ws._raise_on_close(message)
    event: dict[str, Any] = json.loads(message["text"])
    return event


def until(ws: WebSocketTestSession, kind: str) -> dict[str, Any]:
    """Skip events until one of `kind` arrives."""
    for _ in range(50):
        event = receive(ws)
        if event["type"] == kind:
            return event
    raise AssertionError(f"no {kind} event")


def close_code(ws: WebSocketTestSession) -> int:
    """Skip events until the server closes; the close code."""
    for _ in range(50):
        try:
            receive(ws)
        except WebSocketDisconnect as closed:
            return closed.code
    raise AssertionError("the connection stayed open")


def send(ws: WebSocketTestSession, kind: str, data: Any = None, id: str | None = None) -> None:
    message: dict[str, Any] = {"type": kind}
    if data is not None:
        message["data"] = data
    if id is not None:
        message["id"] = id
    ws.send_text(json.dumps(message))


def hub_of(client: TestClient) -> SignalingHub:
    hub: SignalingHub = runtime(client).services.signaling
    return hub


def meeting(client: TestClient, **room_fields: Any) -> tuple[dict[str, Any], SignedIn, SignedIn]:
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    room = create_room(client, host, **room_fields)
    assert join(client, host, room).status_code == 200
    assert join(client, guest, room).status_code == 200
    return room, host, guest


def test_refusals_close_with_documented_codes(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    room, host, guest = meeting(client)
    stranger = sign_up(client, "stranger")
    cases = [
        (ws_url(room, host, token="not-a-token"), 4401),
        (ws_url(room, host, token=guest.access_token), 4401),
        (ws_url(room, stranger), 4403),
        (ws_url({"id": "00000000-0000-0000-0000-000000000000"}, host), 4404),
        (f"/ws?roomId={room['id']}", 4401),
    ]
    for url, code in cases:
        with client.websocket_connect(url) as ws:
            assert close_code(ws) == code, url
    assert client.post(f"/api/v1/rooms/{room['id']}/end", headers=host.headers).is_success
    with client.websocket_connect(ws_url(room, host)) as ws:
        assert close_code(ws) == 4410


def test_join_chat_and_media_flags_reach_the_room(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url, recording_enabled=False)
    room, host, guest = meeting(client)
    with client.websocket_connect(ws_url(room, host)) as host_ws:
        state = until(host_ws, "room_state")["data"]
        assert [p["user_id"] for p in state["participants"]] == [host.user["id"]]
        assert state["participants"][0]["role"] == "host"
        assert state["recording"] is False
        with client.websocket_connect(ws_url(room, guest)) as guest_ws:
            joined = until(host_ws, "participant_joined")["data"]["participant"]
            assert joined["user_id"] == guest.user["id"]
            assert joined["role"] == "participant"
            guest_state = until(guest_ws, "room_state")["data"]
            assert len(guest_state["participants"]) == 2

            text = "<b>hi</b> & bye"
            send(guest_ws, "chat", {"text": text}, id="c1")
            ack = until(guest_ws, "ack")
            assert ack["id"] == "c1"
            chat = until(host_ws, "chat")["data"]
            assert chat["text"] == text
            assert chat["message_id"] == ack["data"]["message_id"]
            assert chat["created_at"] == ack["data"]["created_at"]
            assert chat["author"] == {"id": guest.user["id"], "name": "Ana Lim"}
            stored = client.get(f"/api/v1/rooms/{room['id']}/messages", headers=host.headers)
            assert [item["message"] for item in stored.json()["items"]] == [text]

            send(guest_ws, "mute", {"muted": True})
            updated = until(host_ws, "participant_updated")["data"]["participant"]
            assert (updated["user_id"], updated["muted"]) == (guest.user["id"], True)
            send(guest_ws, "raise_hand", {"raised": True})
            assert until(host_ws, "participant_updated")["data"]["participant"]["hand"] is True

            send(guest_ws, "offer", {"to": host.user["id"], "sdp": "v=0"}, id="o1")
            offer = until(host_ws, "offer")["data"]
            assert offer == {"from": guest.user["id"], "sdp": "v=0"}

            # This server does not record, so nobody can claim it does.
            send(host_ws, "recording", {"active": True}, id="r1")
            refused = until(host_ws, "error")
            assert (refused["id"], refused["data"]["code"]) == ("r1", "recording_unavailable")
            send(guest_ws, "recording", {"active": False}, id="r2")
            assert until(guest_ws, "error")["data"]["code"] == "not_allowed"
            send(guest_ws, "leave_room", id="bye")
            assert until(guest_ws, "ack")["id"] == "bye"
            assert close_code(guest_ws) == 1000
        left = until(host_ws, "participant_left")["data"]
        assert left == {"user_id": guest.user["id"], "reason": "left"}
    history = client.get(f"/api/v1/rooms/{room['id']}/history", headers=host.headers).json()
    guest_entry = next(e for e in history["items"] if e["user"]["id"] == guest.user["id"])
    assert guest_entry["left_at"] is not None


def test_invalid_messages_get_errors_and_the_connection_stays(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, ws_message_burst=12, ws_max_message_bytes=8192)
    room, host, _ = meeting(client)
    with client.websocket_connect(ws_url(room, host)) as ws:
        until(ws, "room_state")
        ws.send_text("{not json")
        assert until(ws, "error")["data"]["code"] == "invalid_json"
        send(ws, "teleport", {}, id="t1")
        error = until(ws, "error")
        assert (error["id"], error["data"]["code"]) == ("t1", "unknown_type")
        send(ws, "mute", {"muted": "loud"}, id="m1")
        error = until(ws, "error")
        assert (error["id"], error["data"]["code"]) == ("m1", "invalid_message")
        send(ws, "chat", {"text": "x" * 4001}, id="long")
        assert until(ws, "error")["data"]["code"] == "invalid_message"
        ws.send_text(json.dumps({"type": "chat", "data": {"text": "y" * 9000}}))
        assert until(ws, "error")["data"]["code"] == "too_large"
        send(ws, "ping", id="p1")
        assert until(ws, "pong")["id"] == "p1"
        for n in range(20):
            send(ws, "ping", id=f"burst{n}")
        codes = [receive(ws) for _ in range(20)]
        assert {"pong", "error"} == {event["type"] for event in codes}
        assert any(e["data"].get("code") == "rate_limited" for e in codes if e["type"] == "error")


def test_roles_and_settings_limit_what_members_may_do(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    host = sign_up(client, "host")
    room = create_room(client, host, settings={"allow_chat": False})
    watcher, member = sign_up(client, "watcher"), sign_up(client, "member")
    assert join(client, host, room).is_success
    assert join(client, watcher, room, as_observer=True).is_success
    assert join(client, member, room).is_success
    with (
        client.websocket_connect(ws_url(room, watcher)) as watcher_ws,
        client.websocket_connect(ws_url(room, member)) as member_ws,
        client.websocket_connect(ws_url(room, host)) as host_ws,
    ):
        # The others may connect before the watcher's state is built: find its own entry.
        state = until(watcher_ws, "room_state")["data"]
        own = next(p for p in state["participants"] if p["user_id"] == watcher.user["id"])
        assert (own["muted"], own["video"]) == (True, False)
        for kind, data in [("mute", {"muted": False}), ("video", {"enabled": True})]:
            send(watcher_ws, kind, data, id=kind)
            assert until(watcher_ws, "error")["data"]["code"] == "not_allowed"
        send(member_ws, "chat", {"text": "hello"}, id="c")
        assert until(member_ws, "error")["data"]["code"] == "not_allowed"
        send(member_ws, "mute_participant", {"userId": host.user["id"]}, id="m")
        assert until(member_ws, "error")["data"]["code"] == "not_allowed"
        send(host_ws, "chat", {"text": "hosts may"}, id="hc")
        assert until(host_ws, "ack")["id"] == "hc"

        send(host_ws, "mute_participant", {"userId": member.user["id"]}, id="hm")
        muted = until(member_ws, "participant_updated")["data"]
        assert (muted["participant"]["muted"], muted["by"]) == (True, host.user["id"])
        send(host_ws, "remove_participant", {"userId": member.user["id"]}, id="hr")
        assert until(member_ws, "removed")["data"] == {"by": host.user["id"]}
        assert close_code(member_ws) == 4403
        left = until(watcher_ws, "participant_left")["data"]
        assert (left["user_id"], left["reason"]) == (member.user["id"], "removed")
        with client.websocket_connect(ws_url(room, member)) as again:
            assert close_code(again) == 4403

        send(host_ws, "end_room", id="end")
        assert until(watcher_ws, "room_ended")["data"] == {"by": host.user["id"]}
        assert close_code(watcher_ws) == 4410
        assert close_code(host_ws) == 4410
    assert client.get(f"/api/v1/rooms/{room['id']}", headers=host.headers).json()["status"] == (
        "ended"
    )


def test_a_lease_renewal_as_a_connection_starts_keeps_its_seat_listed(
    make_client: AppMaker, database_url: str
) -> None:
    """A renewal that lands between listing a new connection's seat and the connection
    running must not take the seat off this node's list: were the node to die then, no
    other node would record the participant as gone."""
    client = make_client(database_url)
    room, host, _ = meeting(client)
    node = hub_of(client).node
    list_seat = node.hold

    async def list_then_renew(seat: Seat) -> None:
        await list_seat(seat)
        await node.renew()

    node.hold = list_then_renew  # type: ignore[method-assign]
    presence = runtime(client).resources.bus.presence
    member = f"{room['id']}:{host.user['id']}"
    assert client.portal is not None
    with client.websocket_connect(ws_url(room, host)) as ws:
        until(ws, "room_state")
        assert client.portal.call(presence.is_member, seats_group(node.node_id), member)


def test_a_lease_renewal_as_a_connection_ends_keeps_its_seat_listed(
    make_client: AppMaker, database_url: str
) -> None:
    """Likewise when a renewal lands while a dropped connection stops its media, before
    its grace period starts."""
    client = make_client(database_url, ws_grace_period=30)
    room, host, _ = meeting(client)
    hub = hub_of(client)
    presence = runtime(client).resources.bus.presence
    member = f"{room['id']}:{host.user['id']}"
    assert client.portal is not None
    with client.websocket_connect(ws_url(room, host)) as ws:
        until(ws, "room_state")
        (connection,) = hub._connections
        stop_media = connection.actions.stop_media

        async def renew_then_stop() -> None:
            await hub.node.renew()
            await stop_media()

        connection.actions.stop_media = renew_then_stop  # type: ignore[method-assign]
    _settle(client, 0.2)
    assert hub.stats().grace_timers == 1
    assert client.portal.call(presence.is_member, seats_group(hub.node.node_id), member)


def _tasks(client: TestClient) -> int:
    async def count() -> int:
        return len(asyncio.all_tasks())

    assert client.portal is not None
    return client.portal.call(count)


def _in_meeting(client: TestClient, who: SignedIn) -> bool:
    presence = runtime(client).resources.bus.presence
    assert client.portal is not None
    return bool(client.portal.call(presence.is_member, IN_MEETING, who.user["id"]))


def _settle(client: TestClient, seconds: float) -> None:
    assert client.portal is not None
    client.portal.call(anyio.sleep, seconds)


def test_reconnecting_within_grace_is_silent_and_leaving_after_it_is_not(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url, ws_grace_period=0.5)
    room, host, guest = meeting(client)
    tasks_before = _tasks(client)
    with client.websocket_connect(ws_url(room, host)) as host_ws:
        until(host_ws, "room_state")
        with client.websocket_connect(ws_url(room, guest)) as guest_ws:
            until(guest_ws, "room_state")
            send(guest_ws, "mute", {"muted": True})
            until(host_ws, "participant_joined")
            until(host_ws, "participant_updated")
            assert _in_meeting(client, guest)
        with client.websocket_connect(ws_url(room, guest)) as guest_ws:
            state = until(guest_ws, "room_state")["data"]
            mine = next(p for p in state["participants"] if p["user_id"] == guest.user["id"])
            assert mine["muted"] is True  # resumed, not reset
            _settle(client, 0.8)
            send(host_ws, "ping", id="quiet")
            assert receive(host_ws) == {"type": "pong", "id": "quiet", "data": {}}
        _settle(client, 0.1)
        assert hub_of(client).stats().grace_timers == 1
        left = until(host_ws, "participant_left")["data"]
        assert left == {"user_id": guest.user["id"], "reason": "disconnected"}
        assert not _in_meeting(client, guest)
    _settle(client, 0.8)
    assert hub_of(client).stats() == type(hub_of(client).stats())(0, 0, 0)
    assert _tasks(client) == tasks_before
    pubsub = runtime(client).resources.bus.pubsub
    # Only the node's standing subscription is left: no room or person channel.
    assert set(pubsub.subscriber_channels()) == {SESSIONS_ENDED}
    history = client.get("/api/v1/rooms/history", headers=guest.headers).json()["items"]
    assert history[0]["left_at"] is not None


def test_idle_connections_close_and_tokens_refresh_in_band(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, ws_idle_timeout=0.5)
    room, host, guest = meeting(client)
    with client.websocket_connect(ws_url(room, host)) as ws:
        until(ws, "room_state")
        fresh = login(client, host.email)
        send(ws, "refresh_token", {"token": fresh.access_token}, id="r")
        ack = until(ws, "ack")
        assert ack["id"] == "r"
        assert ack["data"]["expires_in"] > 3600
        send(ws, "refresh_token", {"token": guest.access_token}, id="wrong")
        assert until(ws, "error")["data"]["code"] == "user_mismatch"
        assert close_code(ws) == 4408


def test_a_second_connection_of_the_same_person_replaces_the_first(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    room, host, guest = meeting(client)
    with client.websocket_connect(ws_url(room, host)) as host_ws:
        until(host_ws, "room_state")
        with client.websocket_connect(ws_url(room, guest)) as first:
            until(host_ws, "participant_joined")
            with client.websocket_connect(ws_url(room, guest)) as second:
                assert close_code(first) == 4412
                assert len(until(second, "room_state")["data"]["participants"]) == 2
                send(second, "screen_share", {"active": True})
                shared = until(host_ws, "participant_updated")["data"]["participant"]
                assert (shared["user_id"], shared["screen"]) == (guest.user["id"], True)
                send(
                    second, "ice-candidate", {"to": host.user["id"], "candidate": {"candidate": ""}}
                )
                relayed = until(host_ws, "ice-candidate")["data"]
                assert relayed == {"from": guest.user["id"], "candidate": {"candidate": ""}}


def test_ending_or_cancelling_over_rest_closes_open_connections(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    for how in ("end", "cancel"):
        room, host, guest = meeting(client)
        with client.websocket_connect(ws_url(room, guest)) as ws:
            until(ws, "room_state")
            if how == "end":
                ended = client.post(f"/api/v1/rooms/{room['id']}/end", headers=host.headers)
            else:
                ended = client.put(
                    f"/api/v1/rooms/{room['id']}",
                    json={"status": "cancelled"},
                    headers=host.headers,
                )
            assert ended.status_code == 200
            assert until(ws, "room_ended")["data"]["by"] == host.user["id"]
            assert close_code(ws) == 4410
