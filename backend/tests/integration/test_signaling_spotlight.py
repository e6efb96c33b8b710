"""The spotlight: a host or moderator puts one person in everyone's main view; the room
hears it at once, a late joiner reads it in `room_state`, and it goes with the person."""

from __future__ import annotations

import uuid

from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_signaling import close_code, send, until, ws_url


def test_leaders_spotlight_for_everyone_and_late_joiners_see_it(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    host, lead, guest, late = (sign_up(client, n) for n in ("host", "lead", "guest", "late"))
    room = create_room(client, host)
    for who in (host, lead, guest, late):
        assert join(client, who, room).is_success
    promoted = client.put(
        f"/api/v1/rooms/{room['id']}/participants/{lead.user['id']}",
        json={"role": "moderator"},
        headers=host.headers,
    )
    assert promoted.status_code == 200
    with (
        client.websocket_connect(ws_url(room, host)) as host_ws,
        client.websocket_connect(ws_url(room, lead)) as lead_ws,
        client.websocket_connect(ws_url(room, guest)) as guest_ws,
    ):
        assert until(guest_ws, "room_state")["data"]["spotlight"] is None
        until(lead_ws, "room_state")
        until(host_ws, "room_state")

        send(guest_ws, "spotlight", {"userId": guest.user["id"]}, id="g")
        refused = until(guest_ws, "error")
        assert (refused["id"], refused["data"]["code"]) == ("g", "not_allowed")
        send(lead_ws, "spotlight", {"userId": str(uuid.uuid4())}, id="nobody")
        assert until(lead_ws, "error")["data"]["code"] == "participant_not_found"

        send(lead_ws, "spotlight", {"userId": guest.user["id"]}, id="s")
        assert until(lead_ws, "ack")["id"] == "s"
        told = until(host_ws, "spotlight")["data"]
        assert told == {"user_id": guest.user["id"], "by": lead.user["id"]}
        assert until(guest_ws, "spotlight")["data"]["user_id"] == guest.user["id"]
        with client.websocket_connect(ws_url(room, late)) as late_ws:
            assert until(late_ws, "room_state")["data"]["spotlight"] == guest.user["id"]

        send(host_ws, "spotlight", {"userId": None}, id="off")
        assert until(host_ws, "ack")["id"] == "off"
        assert until(guest_ws, "spotlight")["data"] == {"user_id": None, "by": host.user["id"]}
        with client.websocket_connect(ws_url(room, late)) as late_ws:
            assert until(late_ws, "room_state")["data"]["spotlight"] is None

        # Someone who leaves takes the spotlight with them.
        send(host_ws, "spotlight", {"userId": guest.user["id"]}, id="again")
        assert until(host_ws, "ack")["id"] == "again"
        send(guest_ws, "leave_room", id="bye")
        assert close_code(guest_ws) == 1000
        until(host_ws, "participant_left")
        with client.websocket_connect(ws_url(room, late)) as late_ws:
            assert until(late_ws, "room_state")["data"]["spotlight"] is None
