"""The signaling fuzzer through the real app: every bad frame of `tests/ws_fuzz_frames.py`
(and random ones, repeatably) on `/ws` and `/ws/user`. Each gets its documented answer,
the socket stays up, nothing is logged as a server fault, and the other people's sockets
(in the same room, and on the user channel) go on working."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from starlette.testclient import WebSocketTestSession

from rapat.signaling.user_endpoint import MAX_CLIENT_MESSAGE
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.notifications_helpers import channel_url
from tests.integration.rooms_helpers import create_room, join
from tests.integration.server_faults import no_server_faults
from tests.integration.test_signaling import close_code, receive, send, until, ws_url
from tests.ws_fuzz_frames import (
    MAX_BYTES,
    BadFrame,
    documented_codes,
    every_bad_frame,
    random_frames,
)

# Rate limits off (they are tested elsewhere): every frame must reach the parser.
FUZZ_SETTINGS: dict[str, Any] = {
    "ws_max_message_bytes": MAX_BYTES,
    "ws_messages_per_second": 1000.0,
    "ws_message_burst": 10_000,
    # a server that does not record: `recording` is refused whatever else holds
    "recording_enabled": False,
}
RANDOM = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REPLIES = frozenset({"error", "ack", "pong", "room_state"})  # the rest are room events


@dataclass(frozen=True)
class Meeting:
    client: TestClient
    room: dict[str, Any]
    host: SignedIn
    guest: SignedIn
    watcher: SignedIn  # not in the room: only their user channel is open


def meeting(make_client: AppMaker, database_url: str, **overrides: Any) -> Meeting:
    client = make_client(database_url, **{**FUZZ_SETTINGS, **overrides})
    host, guest, watcher = sign_up(client, "host"), sign_up(client, "guest"), sign_up(client, "w")
    room = create_room(client, host)
    assert join(client, host, room).status_code == 200
    assert join(client, guest, room).status_code == 200
    return Meeting(client, room, host, guest, watcher)


@contextmanager
def connected(
    m: Meeting, caplog: pytest.LogCaptureFixture
) -> Iterator[tuple[WebSocketTestSession, WebSocketTestSession, WebSocketTestSession]]:
    """The host's and the guest's room sockets and the watcher's user channel, each past its
    greeting, with no server fault allowed while they are open."""
    with (
        no_server_faults(caplog),
        m.client.websocket_connect(ws_url(m.room, m.host)) as host_ws,
        m.client.websocket_connect(ws_url(m.room, m.guest)) as guest_ws,
        m.client.websocket_connect(channel_url(m.watcher)) as watcher_ws,
    ):
        until(host_ws, "room_state")
        until(guest_ws, "room_state")
        until(watcher_ws, "ready")
        yield host_ws, guest_ws, watcher_ws


def reply(ws: WebSocketTestSession) -> dict[str, Any]:
    """The answer to the last request, skipping room events meanwhile."""
    for _ in range(50):
        event = receive(ws)
        if event["type"] in REPLIES:
            return event
    raise AssertionError("no answer")


def send_frame(ws: WebSocketTestSession, frame: str | bytes) -> None:
    if isinstance(frame, bytes):
        ws.send_bytes(frame)
    else:
        ws.send_text(frame)


def check_room_answer(ws: WebSocketTestSession, bad: BadFrame, *, with_id: bool = True) -> None:
    send_frame(ws, bad.frame)
    answer = reply(ws)
    assert answer["type"] == "error", bad.label
    assert answer["data"]["code"] == bad.code, (bad.label, answer)
    if with_id:
        assert answer.get("id") == bad.id, bad.label


def still_healthy(
    host_ws: WebSocketTestSession,
    guest_ws: WebSocketTestSession,
    watcher_ws: WebSocketTestSession,
) -> None:
    """The guest's socket took no error, and chat and ping work for everyone."""
    send(guest_ws, "chat", {"text": "still here"}, id="after")
    seen = answer_to(guest_ws, "after")
    assert [event for event in seen if event["type"] == "error"] == []
    assert seen[-1]["type"] == "ack"
    while until(host_ws, "chat")["data"]["text"] != "still here":  # skip earlier lines
        pass
    send(guest_ws, "ping", id="gp")
    assert until(guest_ws, "pong")["id"] == "gp"
    send(host_ws, "ping", id="hp")
    assert until(host_ws, "pong")["id"] == "hp"
    watcher_ws.send_text(json.dumps({"type": "ping", "id": "wp"}))
    assert until(watcher_ws, "pong")["id"] == "wp"


def test_the_room_socket_answers_every_bad_frame(
    make_client: AppMaker, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    m = meeting(make_client, sqlite_url)
    with connected(m, caplog) as (host_ws, guest_ws, watcher_ws):
        for bad in every_bad_frame():
            check_room_answer(host_ws, bad)

        @RANDOM
        @given(random_frames())
        def random_frame(bad: BadFrame) -> None:
            check_room_answer(host_ws, bad, with_id=False)

        random_frame()
        still_healthy(host_ws, guest_ws, watcher_ws)


# Valid messages at the wrong moment, from the host: (type, data, error code or None: ack).
def out_of_order(m: Meeting) -> list[tuple[str, Any, str | None]]:
    nobody = str(uuid.uuid4())
    candidate = {"candidate": ""}
    return [
        ("answer", {"sdp": "v=0"}, "unexpected_answer"),  # the SFU offered nothing
        ("ice-candidate", {"candidate": candidate}, None),  # kept for the offer to come
        ("offer", {"sdp": "v=0"}, "invalid_sdp"),
        ("offer", {"to": nobody, "sdp": "v=0"}, "participant_not_found"),
        ("answer", {"to": nobody, "sdp": "v=0"}, "participant_not_found"),
        ("ice-candidate", {"to": nobody, "candidate": candidate}, "participant_not_found"),
        ("mute_participant", {"userId": nobody}, "participant_not_found"),
        ("remove_participant", {"userId": nobody}, "not_in_room"),
        ("remove_participant", {"userId": m.host.user["id"]}, "cannot_remove_self"),
        ("recording", {"active": True}, "recording_unavailable"),
        ("refresh_token", {"token": "not-a-token"}, "invalid_token"),
        ("refresh_token", {"token": m.guest.access_token}, "user_mismatch"),
        ("screen_share", {"active": False}, None),  # stopping what never started
        ("join_room", None, None),  # connecting joined already: a fresh room_state
        ("join_room", None, None),
        ("chat", {"text": "before join_room"}, None),
    ]


def answer_to(ws: WebSocketTestSession, request_id: str) -> list[dict[str, Any]]:
    """Every event up to the answer carrying `request_id` (the answer last)."""
    seen = [receive(ws)]
    while seen[-1].get("id") != request_id:
        seen.append(receive(ws))
    return seen


def test_valid_messages_out_of_order_get_documented_answers(
    make_client: AppMaker, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    m = meeting(make_client, sqlite_url)
    client, documented = m.client, documented_codes()
    with (
        no_server_faults(caplog),
        client.websocket_connect(ws_url(m.room, m.guest)) as guest_ws,
        client.websocket_connect(channel_url(m.watcher)) as watcher_ws,
    ):
        until(guest_ws, "room_state")
        with client.websocket_connect(ws_url(m.room, m.host)) as host_ws:
            until(host_ws, "room_state")
            for number, (kind, data, code) in enumerate(out_of_order(m)):
                send(host_ws, kind, data, id=f"o-{number}")
                *before, answer = answer_to(host_ws, f"o-{number}")
                assert answer["type"] == ("ack" if code is None else "error"), (kind, answer)
                assert answer["data"].get("code") == code, (kind, answer)
                assert code is None or code in documented
                if kind == "join_room":
                    assert "room_state" in [event["type"] for event in before]
            still_healthy(host_ws, guest_ws, watcher_ws)
            send(host_ws, "leave_room", id="leave-1")  # twice: the second is never read
            send(host_ws, "leave_room", id="leave-2")
            assert close_code(host_ws) == 1000
        assert until(guest_ws, "participant_left")["data"]["user_id"] == m.host.user["id"]
        with client.websocket_connect(ws_url(m.room, m.host)) as again:
            assert close_code(again) == 4403  # left for good: join through the API first
        send(guest_ws, "ping", id="last")
        assert until(guest_ws, "pong")["id"] == "last"


def user_channel_answer(frame: str | bytes) -> tuple[str, str | None]:
    """What docs/signaling.md promises the user channel answers: (type, error code)."""
    if isinstance(frame, bytes):
        return "error", "binary_frame"
    if len(frame) > MAX_CLIENT_MESSAGE:
        return "error", "too_large"
    try:
        message = json.loads(frame)
    except (ValueError, RecursionError):
        return "error", "bad_json"
    if not isinstance(message, dict) or message.get("type") != "ping":
        return "error", "unknown_type"
    return "pong", None


def check_channel_answer(ws: WebSocketTestSession, frame: str | bytes) -> None:
    send_frame(ws, frame)
    answer = receive(ws)
    kind, code = user_channel_answer(frame)
    assert (answer["type"], answer["data"].get("code")) == (kind, code), frame[:80]


def test_the_user_channel_answers_every_bad_frame(
    make_client: AppMaker, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    m = meeting(make_client, sqlite_url)
    with (
        connected(m, caplog) as (host_ws, guest_ws, watcher_ws),
        m.client.websocket_connect(channel_url(m.guest)) as fuzzed,
    ):
        until(fuzzed, "ready")
        for bad in every_bad_frame():
            check_channel_answer(fuzzed, bad.frame)

        @RANDOM
        @given(random_frames())
        def random_frame(bad: BadFrame) -> None:
            check_channel_answer(fuzzed, bad.frame)

        random_frame()
        fuzzed.send_text(json.dumps({"type": "ping", "id": "fp"}))
        assert until(fuzzed, "pong")["id"] == "fp"
        still_healthy(host_ws, guest_ws, watcher_ws)


def test_a_rate_limited_deep_frame_is_answered_not_failed_on(
    make_client: AppMaker, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Found by the fuzzer: reading the id of a refused frame raised RecursionError on a
    # nested frame under 4 KiB, and the socket closed with 1011.
    m = meeting(make_client, sqlite_url, ws_messages_per_second=0.01, ws_message_burst=1)
    with (
        no_server_faults(caplog),
        m.client.websocket_connect(ws_url(m.room, m.host)) as ws,
    ):
        until(ws, "room_state")
        send(ws, "ping", id="first")
        assert until(ws, "pong")["id"] == "first"
        ws.send_text("[" * 4000)
        assert reply(ws)["data"]["code"] == "rate_limited"
        send(ws, "ping", id="limited")
        assert reply(ws) == {
            "type": "error",
            "id": "limited",
            "data": {"code": "rate_limited", "message": "Too many messages; slow down."},
        }
