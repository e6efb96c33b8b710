"""What the REST API does to open signaling connections: leaving and role changes."""

from __future__ import annotations

from rapat.signaling import close_codes
from tests.integration.app_fixtures import AppMaker
from tests.integration.test_signaling import (
    close_code,
    meeting,
    receive,
    send,
    until,
    ws_url,
)


def test_leaving_over_rest_tells_the_room_and_closes_the_leavers_socket(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, guest = meeting(client)
    with client.websocket_connect(ws_url(room, host)) as host_ws:
        until(host_ws, "room_state")
        with client.websocket_connect(ws_url(room, guest)) as guest_ws:
            until(guest_ws, "room_state")
            until(host_ws, "participant_joined")
            left = client.post(f"/api/v1/rooms/{room['id']}/leave", headers=guest.headers)
            assert left.status_code == 204
            expected = {"user_id": guest.user["id"], "reason": "left"}
            assert until(host_ws, "participant_left")["data"] == expected
            assert until(guest_ws, "participant_left")["data"] == expected
            assert close_code(guest_ws) == close_codes.NORMAL
        send(host_ws, "join_room")
        state = until(host_ws, "room_state")["data"]
        assert [p["user_id"] for p in state["participants"]] == [host.user["id"]]
        # The leaver's closed socket announces nothing more (no second participant_left).
        send(host_ws, "ping", id="after")
        assert receive(host_ws) == {"type": "pong", "id": "after", "data": {}}
    history = client.get("/api/v1/rooms/history", headers=guest.headers).json()["items"]
    assert history[0]["left_at"] is not None


def test_a_role_change_over_rest_updates_the_room_and_the_rights_at_once(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, guest = meeting(client)
    role_url = f"/api/v1/rooms/{room['id']}/participants/{guest.user['id']}"
    with client.websocket_connect(ws_url(room, host)) as host_ws:
        until(host_ws, "room_state")
        with client.websocket_connect(ws_url(room, guest)) as guest_ws:
            until(guest_ws, "room_state")
            send(guest_ws, "mute", {"muted": False}, id="unmute")
            assert until(guest_ws, "ack")["id"] == "unmute"

            demoted = client.put(role_url, json={"role": "observer"}, headers=host.headers)
            assert demoted.status_code == 200
            for ws in (host_ws, guest_ws):
                event = until(ws, "participant_updated")["data"]
                if event.get("by") is None:  # the guest's own unmute, still in flight
                    event = until(ws, "participant_updated")["data"]
                assert event["by"] == host.user["id"]
                person = event["participant"]
                assert (person["user_id"], person["role"]) == (guest.user["id"], "observer")
                assert (person["muted"], person["video"], person["screen"]) == (True, False, False)
            send(guest_ws, "mute", {"muted": False}, id="again")
            refused = until(guest_ws, "error")
            assert (refused["id"], refused["data"]["code"]) == ("again", "not_allowed")
            send(guest_ws, "join_room")
            assert until(guest_ws, "room_state")["data"]["role"] == "observer"

            promoted = client.put(role_url, json={"role": "moderator"}, headers=host.headers)
            assert promoted.status_code == 200
            assert until(guest_ws, "participant_updated")["data"]["participant"]["role"] == (
                "moderator"
            )
            send(guest_ws, "mute_participant", {"userId": host.user["id"]}, id="mod")
            assert until(guest_ws, "ack")["id"] == "mod"
