"""Removal keeps a person out of the room until a host or moderator lets them back in, and
a password change can take everyone but the host out (decision 42)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from rapat.signaling import close_codes
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_signaling import close_code, receive, send, until, ws_url

PASSWORD = "open sesame"
NEW_PASSWORD = "a new secret"


def bans_url(room: dict[str, Any], user: SignedIn | None = None) -> str:
    tail = f"/{user.user['id']}" if user is not None else ""
    return f"/api/v1/rooms/{room['id']}/bans{tail}"


def error_code(response: Any) -> str:
    code: str = response.json()["error"]["code"]
    return code


def refusal(client: TestClient, room: dict[str, Any], who: SignedIn) -> tuple[int, str]:
    """How the WebSocket refuses `who`: the close code and its reason."""
    with client.websocket_connect(ws_url(room, who)) as ws:
        try:
            receive(ws)
        except WebSocketDisconnect as closed:
            return closed.code, closed.reason
    raise AssertionError("the connection was accepted")


def removed_guest(
    client: TestClient, role: str = "participant"
) -> tuple[dict[str, Any], SignedIn, SignedIn]:
    """A password room whose host removed a guest (in `role`) while both were connected."""
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    room = create_room(client, host, password=PASSWORD)
    assert join(client, host, room).status_code == 200
    assert join(client, guest, room, password=PASSWORD).status_code == 200
    if role != "participant":
        url = f"/api/v1/rooms/{room['id']}/participants/{guest.user['id']}"
        assert client.put(url, json={"role": role}, headers=host.headers).status_code == 200
    assert remove_live(client, room, host, guest) == close_codes.FORBIDDEN
    return room, host, guest


def remove_live(client: TestClient, room: dict[str, Any], host: SignedIn, who: SignedIn) -> int:
    """The host removes `who` while both are connected (both joined already); returns the
    close code of the removed person's socket."""
    with (
        client.websocket_connect(ws_url(room, host)) as host_ws,
        client.websocket_connect(ws_url(room, who)) as their_ws,
    ):
        until(their_ws, "room_state")
        send(host_ws, "remove_participant", {"userId": who.user["id"]}, id="rm")
        assert until(their_ws, "removed")["data"] == {"by": host.user["id"]}
        return close_code(their_ws)


def test_a_removed_person_stays_out_even_with_the_password(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, guest = removed_guest(client)

    for body in ({"password": PASSWORD}, {}):
        refused = join(client, guest, room, **body)
        assert refused.status_code == 403
        assert error_code(refused) == "banned_from_room"
    code, reason = refusal(client, room, guest)
    assert code == close_codes.FORBIDDEN
    assert "removed you" in reason

    bans = client.get(bans_url(room), headers=host.headers)
    assert bans.status_code == 200
    [ban] = bans.json()
    assert (ban["user"]["id"], ban["banned_by"]) == (guest.user["id"], host.user["id"])
    # Their membership went with the removal: they see neither the room's people nor bans.
    people = client.get(f"/api/v1/rooms/{room['id']}/participants", headers=guest.headers)
    assert people.status_code == 403
    assert client.get(bans_url(room), headers=guest.headers).status_code == 403
    assert client.delete(bans_url(room, guest), headers=guest.headers).status_code == 403


def test_a_removed_moderator_keeps_no_rights_in_the_room(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, moderator = removed_guest(client, role="moderator")
    url = f"/api/v1/rooms/{room['id']}"
    for method, path, body in [
        ("GET", "/bans", None),
        ("DELETE", f"/bans/{moderator.user['id']}", None),
        ("PUT", "", {"name": "Taken over"}),
        ("POST", "/end", None),
    ]:
        response = client.request(method, url + path, json=body, headers=moderator.headers)
        assert (response.status_code, error_code(response)) == (403, "not_allowed"), path
    assert client.get(url, headers=host.headers).json()["status"] == "active"


def test_letting_someone_back_in_lets_them_join_like_anyone(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, guest = removed_guest(client)

    lifted = client.delete(bans_url(room, guest), headers=host.headers)
    assert lifted.status_code == 204
    assert client.get(bans_url(room), headers=host.headers).json() == []
    again = client.delete(bans_url(room, guest), headers=host.headers)
    assert (again.status_code, error_code(again)) == (404, "ban_not_found")

    # Back to a stranger's footing: the room password is asked again.
    assert error_code(join(client, guest, room)) == "wrong_password"
    rejoined = join(client, guest, room, password=PASSWORD)
    assert rejoined.status_code == 200, rejoined.text
    assert rejoined.json()["participant"]["role"] == "participant"
    with client.websocket_connect(ws_url(room, guest)) as guest_ws:
        assert until(guest_ws, "room_state")["data"]["you"] == guest.user["id"]


def test_participants_cannot_see_or_lift_bans(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    room, _host, guest = removed_guest(client)
    member = sign_up(client, "member")
    assert join(client, member, room, password=PASSWORD).status_code == 200

    for response in (
        client.get(bans_url(room), headers=member.headers),
        client.delete(bans_url(room, guest), headers=member.headers),
    ):
        assert (response.status_code, error_code(response)) == (403, "not_allowed")
    assert error_code(join(client, guest, room, password=PASSWORD)) == "banned_from_room"


def password_room(client: TestClient) -> tuple[dict[str, Any], SignedIn, SignedIn, SignedIn]:
    """A password room with its host and a guest in the meeting, and a member who left."""
    host, guest, member = sign_up(client, "host"), sign_up(client, "guest"), sign_up(client)
    room = create_room(client, host, password=PASSWORD)
    assert join(client, host, room).status_code == 200
    for person in (guest, member):
        assert join(client, person, room, password=PASSWORD).status_code == 200
    leave = client.post(f"/api/v1/rooms/{room['id']}/leave", headers=member.headers)
    assert leave.status_code == 204
    return room, host, guest, member


def test_a_password_change_can_take_everyone_but_the_host_out(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, guest, member = password_room(client)
    with (
        client.websocket_connect(ws_url(room, host)) as host_ws,
        client.websocket_connect(ws_url(room, guest)) as guest_ws,
    ):
        until(guest_ws, "room_state")
        changed = client.put(
            f"/api/v1/rooms/{room['id']}",
            json={"password": NEW_PASSWORD, "remove_participants": True},
            headers=host.headers,
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["participant_count"] == 1
        expected = {"user_id": guest.user["id"], "reason": "password_changed"}
        assert until(guest_ws, "participant_left")["data"] == expected
        assert close_code(guest_ws) == close_codes.FORBIDDEN
        assert until(host_ws, "participant_left")["data"] == expected
        send(host_ws, "ping", id="still")
        assert until(host_ws, "pong")["id"] == "still"

    # Neither the guest nor the member who had left is a member now; nobody is banned.
    for person in (guest, member):
        assert error_code(join(client, person, room, password=PASSWORD)) == "wrong_password"
        assert join(client, person, room, password=NEW_PASSWORD).status_code == 200
    assert client.get(bans_url(room), headers=host.headers).json() == []


def test_a_password_change_alone_takes_no_one_out(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    room, host, guest, member = password_room(client)
    url = f"/api/v1/rooms/{room['id']}"
    alone = client.put(url, json={"remove_participants": True}, headers=host.headers)
    assert (alone.status_code, error_code(alone)) == (400, "invalid_input")
    with client.websocket_connect(ws_url(room, guest)) as guest_ws:
        until(guest_ws, "room_state")
        changed = client.put(url, json={"password": NEW_PASSWORD}, headers=host.headers)
        assert changed.status_code == 200
        assert changed.json()["participant_count"] == 2
        send(guest_ws, "ping", id="still")
        assert until(guest_ws, "pong")["id"] == "still"
    # Members keep coming back without the password, as before.
    assert join(client, member, room).status_code == 200
