"""The waiting room (decision 59) through the real stack: REST joins answered 202, the
hosts' and moderators' `lobby_waiting` events and their admit / deny / admit_all (over the
socket and over REST), the waiting person's user channel, reloads, bans and denials."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from rapat.signaling import close_codes
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.notifications_helpers import channel_url, next_event
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_room_bans import bans_url, error_code, refusal, remove_live
from tests.integration.test_signaling import receive, send, until, ws_url

PASSWORD = "open sesame"


def lobby_url(room: dict[str, Any], tail: str = "") -> str:
    return f"/api/v1/rooms/{room['id']}/lobby{tail}"


def lobby_room(client: TestClient, **settings: Any) -> tuple[dict[str, Any], SignedIn, SignedIn]:
    """A room with its lobby on, its host in the meeting, and a participant let in before
    the lobby was turned on (a member: members come straight back)."""
    host, member = sign_up(client, "host"), sign_up(client, "member")
    room = create_room(client, host)
    assert join(client, host, room).status_code == 200
    assert join(client, member, room).status_code == 200
    url = f"/api/v1/rooms/{room['id']}/settings"
    changed = client.put(url, json={"lobby_enabled": True, **settings}, headers=host.headers)
    assert changed.status_code == 200, changed.text
    return room, host, member


def knock(client: TestClient, who: SignedIn, room: dict[str, Any], **body: Any) -> dict[str, Any]:
    response = join(client, who, room, **body)
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    assert answer["status"] == "waiting"
    assert "participant" not in answer
    return answer


def waiting_ids(event: dict[str, Any]) -> list[str]:
    return [entry["user_id"] for entry in event["data"]["waiting"]]


def next_lobby(ws: WebSocketTestSession) -> list[str]:
    return waiting_ids(until(ws, "lobby_waiting"))


def test_a_guest_waits_sees_nothing_and_is_let_in(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    room, host, member = lobby_room(client)
    guest = sign_up(client, "guest")
    with (
        client.websocket_connect(ws_url(room, host)) as host_ws,
        client.websocket_connect(ws_url(room, member)) as member_ws,
        client.websocket_connect(channel_url(guest)) as guest_channel,
    ):
        until(member_ws, "room_state")
        assert next_lobby(host_ws) == []  # the host is told the (empty) lobby on connect
        next_event(guest_channel, "ready")
        answer = knock(client, guest, room)
        assert answer["room"]["id"] == room["id"]
        [entry] = until(host_ws, "lobby_waiting")["data"]["waiting"]
        assert (entry["user_id"], entry["since"]) == (guest.user["id"], answer["since"])
        assert entry["name"]

        # Waiting is not being in: no socket, so no room_state, chat or media.
        code, _reason = refusal(client, room, guest)
        assert code == close_codes.FORBIDDEN
        people = client.get(f"/api/v1/rooms/{room['id']}/participants", headers=guest.headers)
        assert people.status_code == 403

        # A participant may not let anyone in, over the socket or over REST.
        send(member_ws, "admit", {"userId": guest.user["id"]}, id="a1")
        refused = until(member_ws, "error")
        assert (refused["id"], refused["data"]["code"]) == ("a1", "not_allowed")
        over_rest = client.post(
            lobby_url(room, f"/{guest.user['id']}/admit"), headers=member.headers
        )
        assert (over_rest.status_code, error_code(over_rest)) == (403, "not_allowed")

        send(host_ws, "admit", {"userId": guest.user["id"]}, id="a2")
        assert until(host_ws, "ack")["id"] == "a2"
        assert next_lobby(host_ws) == []
        admitted = next_event(guest_channel, "lobby_admitted")["data"]
        assert admitted == {"room_id": room["id"], "by": host.user["id"]}
        assert client.get(lobby_url(room, "/me"), headers=guest.headers).json()["status"] == (
            "admitted"
        )
        seated = join(client, guest, room)
        assert seated.status_code == 200, seated.text
        assert seated.json()["participant"]["role"] == "participant"
        with client.websocket_connect(ws_url(room, guest)) as guest_ws:
            assert until(guest_ws, "room_state")["data"]["you"] == guest.user["id"]
        # The member never heard who waited: everything up to a pong was about the guest.
        send(member_ws, "ping", id="p")
        kinds = []
        while (kind := receive(member_ws)["type"]) != "pong":
            kinds.append(kind)
        assert kinds == ["participant_joined"]
    # Let in once, they are a member: the next join seats them straight away.
    assert (
        client.post(f"/api/v1/rooms/{room['id']}/leave", headers=guest.headers).status_code == 204
    )
    assert join(client, guest, room).status_code == 200


def test_waiting_survives_a_reload_and_a_password_is_asked_once(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    host = sign_up(client, "host")
    room = create_room(client, host, password=PASSWORD, settings={"lobby_enabled": True})
    guest = sign_up(client, "guest")
    assert error_code(join(client, guest, room)) == "wrong_password"
    first = knock(client, guest, room, password=PASSWORD)
    place = client.get(lobby_url(room, "/me"), headers=guest.headers).json()
    assert place == {"status": "waiting", "since": first["since"], "retry_after": None}
    # The page reloads: the join again keeps the place (and its time), without the password.
    again = knock(client, guest, room)
    assert again["since"] == first["since"]
    listed = client.get(lobby_url(room), headers=host.headers).json()
    assert [entry["user_id"] for entry in listed] == [guest.user["id"]]
    # Giving up leaves the lobby.
    assert client.delete(lobby_url(room, "/me"), headers=guest.headers).status_code == 204
    assert client.get(lobby_url(room), headers=host.headers).json() == []
    assert client.get(lobby_url(room, "/me"), headers=guest.headers).json()["status"] == "none"


def test_a_denied_guest_is_told_and_cannot_knock_again_at_once(
    make_client: AppMaker, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rapat.services.lobby_store.DENY_COOLDOWN", 1.0)
    client = make_client(database_url)
    room, host, _member = lobby_room(client)
    guest = sign_up(client, "guest")
    with client.websocket_connect(channel_url(guest)) as guest_channel:
        next_event(guest_channel, "ready")
        knock(client, guest, room)
        denied = client.post(lobby_url(room, f"/{guest.user['id']}/deny"), headers=host.headers)
        assert denied.status_code == 204
        told = next_event(guest_channel, "lobby_denied")["data"]
        assert told["room_id"] == room["id"]
        assert 0 < told["retry_after"] <= 1
    refused = join(client, guest, room)
    assert (refused.status_code, error_code(refused)) == (403, "lobby_denied")
    assert refused.json()["error"]["details"]["retry_after"] >= 1
    assert client.get(lobby_url(room, "/me"), headers=guest.headers).json()["status"] == "denied"
    again = client.post(lobby_url(room, f"/{guest.user['id']}/deny"), headers=host.headers)
    assert (again.status_code, error_code(again)) == (404, "not_waiting")
    time.sleep(1.1)  # the cool-down is over: they may ask again
    knock(client, guest, room)


def test_admit_all_over_rest_works_without_the_hosts_socket(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, _member = lobby_room(client)
    guests = [sign_up(client, f"guest{n}") for n in range(2)]
    for guest in guests:
        knock(client, guest, room)
    # The host's socket dropped (it never opened here): REST is enough.
    admitted = client.post(lobby_url(room, "/admit-all"), headers=host.headers)
    assert admitted.status_code == 200
    assert sorted(admitted.json()["admitted"]) == sorted(g.user["id"] for g in guests)
    assert client.get(lobby_url(room), headers=host.headers).json() == []
    for guest in guests:
        assert join(client, guest, room).status_code == 200
    # Nobody left to admit: an empty answer, and one person is "not waiting".
    assert client.post(lobby_url(room, "/admit-all"), headers=host.headers).json() == {
        "admitted": []
    }
    late = client.post(lobby_url(room, f"/{guests[0].user['id']}/admit"), headers=host.headers)
    assert (late.status_code, error_code(late)) == (404, "not_waiting")


def test_a_moderator_hears_the_lobby_and_admits_all_over_the_socket(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, moderator = lobby_room(client)
    url = f"/api/v1/rooms/{room['id']}/participants/{moderator.user['id']}"
    assert client.put(url, json={"role": "moderator"}, headers=host.headers).status_code == 200
    guest = sign_up(client, "guest")
    knock(client, guest, room)
    with client.websocket_connect(ws_url(room, moderator)) as moderator_ws:
        assert next_lobby(moderator_ws) == [guest.user["id"]]  # on connect
        send(moderator_ws, "admit_all", id="all")
        ack = until(moderator_ws, "ack")
        assert ack["data"] == {"admitted": [guest.user["id"]]}
    assert join(client, guest, room).status_code == 200


def test_a_removed_person_cannot_come_back_through_the_lobby(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, _member = lobby_room(client)
    guest = sign_up(client, "guest")
    knock(client, guest, room)
    assert (
        client.post(lobby_url(room, f"/{guest.user['id']}/admit"), headers=host.headers).status_code
        == 204
    )
    assert join(client, guest, room).status_code == 200
    assert remove_live(client, room, host, guest) == close_codes.FORBIDDEN

    refused = join(client, guest, room)
    assert (refused.status_code, error_code(refused)) == (403, "banned_from_room")
    assert client.get(lobby_url(room), headers=host.headers).json() == []  # no knock either
    assert client.delete(bans_url(room, guest), headers=host.headers).status_code == 204
    # Let back in by a host: a stranger again, who waits to be admitted.
    knock(client, guest, room)


def test_everyone_but_hosts_makes_returning_members_wait(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    room, host, member = lobby_room(client, lobby_scope="everyone_but_hosts")
    moderator = sign_up(client, "moderator")
    assert join(client, moderator, room).status_code == 202  # a stranger waits
    assert client.post(lobby_url(room, "/admit-all"), headers=host.headers).status_code == 200
    assert join(client, moderator, room).status_code == 200
    url = f"/api/v1/rooms/{room['id']}/participants/{moderator.user['id']}"
    assert client.put(url, json={"role": "moderator"}, headers=host.headers).status_code == 200

    for person in (host, member, moderator):
        left = client.post(f"/api/v1/rooms/{room['id']}/leave", headers=person.headers)
        assert left.status_code == 204
    assert join(client, member, room).status_code == 202  # a member, but not a leader
    assert join(client, moderator, room).status_code == 200
    assert join(client, host, room).status_code == 200
    # A reload while seated never sends anyone to the lobby.
    assert join(client, moderator, room).status_code == 200


def test_the_lobby_is_for_leaders_only(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    room, _host, member = lobby_room(client)
    stranger = sign_up(client, "stranger")
    for who in (member, stranger):
        for method, tail in (("GET", ""), ("POST", "/admit-all")):
            response = client.request(method, lobby_url(room, tail), headers=who.headers)
            assert (response.status_code, error_code(response)) == (403, "not_allowed")
    # The lobby being off, everyone walks in as before.
    plain_host = sign_up(client, "plain")
    plain = create_room(client, plain_host)
    assert join(client, stranger, plain).status_code == 200
