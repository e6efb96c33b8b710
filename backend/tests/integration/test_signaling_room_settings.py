"""The room's settings as a live meeting applies them: who joins muted or with the camera
off, and a host's change reaching everyone connected at once (chat, screen sharing)."""

from __future__ import annotations

from typing import Any

from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_signaling import send, until, ws_url


def _own(state: dict[str, Any], who: SignedIn) -> dict[str, Any]:
    entry: dict[str, Any] = next(p for p in state["participants"] if p["user_id"] == who.user["id"])
    return entry


def test_join_settings_mute_and_stop_cameras_of_everyone_but_the_host(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    settings = {"mute_on_join": True, "camera_off_on_join": True}
    room = create_room(client, host, settings=settings)
    assert join(client, host, room).is_success
    assert join(client, guest, room).is_success
    with client.websocket_connect(ws_url(room, host)) as host_ws:
        state = until(host_ws, "room_state")["data"]
        assert state["settings"]["mute_on_join"] is True
        assert (_own(state, host)["muted"], _own(state, host)["video"]) == (False, True)
        with client.websocket_connect(ws_url(room, guest)) as guest_ws:
            state = until(guest_ws, "room_state")["data"]
            assert (_own(state, guest)["muted"], _own(state, guest)["video"]) == (True, False)
            # Joined muted, not silenced: the guest may unmute themselves.
            send(guest_ws, "mute", {"muted": False}, id="unmute")
            assert until(guest_ws, "ack")["id"] == "unmute"


def test_a_hosts_change_reaches_the_live_room_and_applies_at_once(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    host, member = sign_up(client, "host"), sign_up(client, "member")
    room = create_room(client, host)
    assert join(client, host, room).is_success
    assert join(client, member, room).is_success
    path = f"/api/v1/rooms/{room['id']}/settings"
    with (
        client.websocket_connect(ws_url(room, member)) as member_ws,
        client.websocket_connect(ws_url(room, host)) as host_ws,
    ):
        assert until(member_ws, "room_state")["data"]["settings"]["allow_chat"] is True
        until(host_ws, "room_state")
        send(member_ws, "chat", {"text": "before"}, id="c1")
        assert until(member_ws, "ack")["id"] == "c1"

        changed = client.put(path, json={"allow_chat": False}, headers=host.headers)
        assert changed.status_code == 200
        told = until(member_ws, "room_settings")["data"]
        assert (told["settings"]["allow_chat"], told["by"]) == (False, host.user["id"])
        send(member_ws, "chat", {"text": "while off"}, id="c2")
        assert until(member_ws, "error")["data"]["code"] == "not_allowed"
        send(host_ws, "chat", {"text": "hosts still may"}, id="h1")
        assert until(host_ws, "ack")["id"] == "h1"

        assert client.put(path, json={"allow_chat": True}, headers=host.headers).is_success
        assert until(member_ws, "room_settings")["data"]["settings"]["allow_chat"] is True
        send(member_ws, "chat", {"text": "on again"}, id="c3")
        assert until(member_ws, "ack")["id"] == "c3"


def test_screen_sharing_off_refuses_participants_but_not_the_host(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    host, member = sign_up(client, "host"), sign_up(client, "member")
    room = create_room(client, host, settings={"allow_screen_share": False})
    assert join(client, host, room).is_success
    assert join(client, member, room).is_success
    with (
        client.websocket_connect(ws_url(room, member)) as member_ws,
        client.websocket_connect(ws_url(room, host)) as host_ws,
    ):
        assert until(member_ws, "room_state")["data"]["settings"]["allow_screen_share"] is False
        until(host_ws, "room_state")
        send(member_ws, "screen_share", {"active": True}, id="m1")
        refused = until(member_ws, "error")
        assert (refused["id"], refused["data"]["code"]) == ("m1", "not_allowed")
        send(host_ws, "screen_share", {"active": True}, id="h1")
        assert until(host_ws, "ack")["id"] == "h1"
