"""Presence over the per-user live channel: opening it puts a user online, closing the
last one takes them offline, and the people who have them as a contact are told live,
also across two nodes sharing Redis."""

from __future__ import annotations

import pytest

from tests.conftest import REDIS_URL
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker, runtime
from tests.integration.notifications_helpers import channel_url, next_event
from tests.integration.rooms_helpers import create_room, join


def _add_contact(client: object, owner: SignedIn, contact: SignedIn) -> None:
    response = client.post(  # type: ignore[attr-defined]
        "/api/v1/users/contacts", json={"user_id": contact.user["id"]}, headers=owner.headers
    )
    assert response.status_code == 201, response.text


def _presence_of(client: object, owner: SignedIn, contact: SignedIn) -> str:
    listing = client.get("/api/v1/users/contacts", headers=owner.headers).json()  # type: ignore[attr-defined]
    items = listing["items"] if isinstance(listing, dict) else listing
    [entry] = [item for item in items if item["user"]["id"] == contact.user["id"]]
    return str(entry["presence"])


def test_contacts_see_a_user_come_online_and_go_offline(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    ana, ben = sign_up(client, "ana"), sign_up(client, "ben")
    _add_contact(client, ben, ana)  # Ben watches Ana
    server = runtime(client).services.live.channel_server
    with client.websocket_connect(channel_url(ben)) as ben_ws:
        next_event(ben_ws, "ready")
        with client.websocket_connect(channel_url(ana)) as first_tab:
            next_event(first_tab, "ready")
            event = next_event(ben_ws, "presence")["data"]
            assert event == {"user_id": ana.user["id"], "presence": "online"}
            assert _presence_of(client, ben, ana) == "online"
            with client.websocket_connect(channel_url(ana)) as second_tab:
                next_event(second_tab, "ready")
                assert server.open_channels == 3
            # One tab still open: Ana stays online, and Ben is not told otherwise.
            assert _presence_of(client, ben, ana) == "online"
            first_tab.send_text('{"type": "ping", "id": "still-here"}')
            assert next_event(first_tab, "pong")["id"] == "still-here"
        event = next_event(ben_ws, "presence")["data"]
        assert event == {"user_id": ana.user["id"], "presence": "offline"}
        # Ben's own requests keep him online; Ana's page would show that on load.
        assert _presence_of(client, ben, ana) == "offline"
    assert server.open_channels == 0


@pytest.mark.redis
def test_presence_reaches_a_contact_on_another_node(
    make_client: AppMaker, postgres_url: str, redis_prefix: str
) -> None:
    settings = {"redis_url": REDIS_URL, "cache_key_prefix": redis_prefix}
    node_a = make_client(postgres_url, **settings)
    node_b = make_client(postgres_url, migrate_first=False, **settings)
    ana, ben = sign_up(node_a, "ana"), sign_up(node_a, "ben")
    _add_contact(node_a, ben, ana)
    with node_b.websocket_connect(channel_url(ben)) as ben_ws:
        next_event(ben_ws, "ready")
        with node_a.websocket_connect(channel_url(ana)) as ana_ws:
            next_event(ana_ws, "ready")
            assert next_event(ben_ws, "presence")["data"]["presence"] == "online"
            # A notification created on node A reaches Ben's tab on node B.
            _add_contact(node_a, ana, ben)
            pushed = next_event(ben_ws, "notification")["data"]["notification"]
            assert (pushed["type"], pushed["data"]["user_id"]) == ("contact_added", ana.user["id"])
        assert next_event(ben_ws, "presence")["data"]["presence"] == "offline"


def test_joining_a_meeting_reaches_contacts_as_in_meeting(
    make_client: AppMaker, sqlite_url: str
) -> None:
    # Channels refresh every second: a meeting joined elsewhere shows within that.
    client = make_client(sqlite_url, user_channel_presence_ttl=3, ws_grace_period=0)
    ana, ben = sign_up(client, "ana"), sign_up(client, "ben")
    _add_contact(client, ben, ana)
    room = create_room(client, ana)
    assert join(client, ana, room).status_code == 200
    with (
        client.websocket_connect(channel_url(ben)) as ben_ws,
        client.websocket_connect(channel_url(ana)) as ana_ws,
    ):
        next_event(ana_ws, "ready")
        assert next_event(ben_ws, "presence")["data"]["presence"] == "online"
        room_url = f"/ws?roomId={room['id']}&userId={ana.user['id']}&token={ana.access_token}"
        with client.websocket_connect(room_url) as room_ws:
            assert next_event(room_ws, "room_state")["type"] == "room_state"
            assert next_event(ben_ws, "presence")["data"]["presence"] == "in_meeting"
            assert _presence_of(client, ben, ana) == "in_meeting"
        assert next_event(ben_ws, "presence")["data"]["presence"] == "online"
