"""Notifications end to end: events create them, the API lists and marks them, the live
channel pushes them, and user settings choose in-app and email."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from rapat.storage.models import Room
from tests.integration.accounts_helpers import mails_to, sign_up
from tests.integration.app_fixtures import AppMaker, runtime
from tests.integration.notifications_helpers import channel_url, closed_with, next_event
from tests.integration.rooms_helpers import create_room, join


def test_contact_added_is_listed_pushed_and_marked_read(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    ana, ben = sign_up(client, "ana", first_name="Ana"), sign_up(client, "ben", first_name="Ben")
    with client.websocket_connect(channel_url(ana)) as ws:
        assert next_event(ws, "ready")["data"]["user_id"] == ana.user["id"]
        added = client.post(
            "/api/v1/users/contacts", json={"user_id": ana.user["id"]}, headers=ben.headers
        )
        assert added.status_code == 201, added.text
        pushed = next_event(ws, "notification")["data"]
        assert pushed["unread_count"] == 1
        assert pushed["notification"]["type"] == "contact_added"
        assert pushed["notification"]["data"]["user_id"] == ben.user["id"]

        page = client.get("/api/v1/notifications", headers=ana.headers).json()
        assert (page["total"], page["unread"]) == (1, 1)
        [item] = page["items"]
        assert item["id"] == pushed["notification"]["id"]
        assert item["title"] == "Ben Lim added you as a contact"
        assert item["is_read"] is False

        read = client.post(f"/api/v1/notifications/{item['id']}/read", headers=ana.headers)
        assert read.status_code == 200
        assert read.json()["is_read"] is True
        assert next_event(ws, "notification_read")["data"] == {
            "ids": [item["id"]],
            "unread_count": 0,
        }
    unread = client.get("/api/v1/notifications?unread=true", headers=ana.headers).json()
    assert (unread["total"], unread["items"]) == (0, [])
    assert client.get("/api/v1/notifications/unread-count", headers=ana.headers).json() == {
        "unread": 0
    }
    # Someone else's notification looks like a missing one.
    other = client.post(f"/api/v1/notifications/{item['id']}/read", headers=ben.headers)
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "notification_not_found"


def test_invitation_with_ics_mark_all_read_and_paging(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    host, guest = sign_up(client, "host", first_name="Hana"), sign_up(client, "guest")
    when = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    room = create_room(client, host, name="Planning", scheduled_at=when.isoformat())
    for _ in range(3):
        response = client.post(
            f"/api/v1/rooms/{room['id']}/invitations",
            json={"user_ids": [guest.user["id"]]},
            headers=host.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json() == {"invited": [guest.user["id"]]}

    page = client.get("/api/v1/notifications?limit=2", headers=guest.headers).json()
    assert (page["total"], page["unread"], len(page["items"])) == (3, 3, 2)
    assert page["items"][0]["type"] == "meeting_invitation"
    assert page["items"][0]["data"]["meeting_code"] == room["code"]
    second = client.get("/api/v1/notifications?limit=2&offset=2", headers=guest.headers).json()
    assert len(second["items"]) == 1

    mails = [m for m in mails_to(client, guest.email) if m["subject"].startswith("Invitation")]
    assert len(mails) == 3
    assert mails[0]["subject"] == "Invitation: Planning"
    assert f"/r/{room['code']}" in mails[0]["text"]

    marked = client.post("/api/v1/notifications/read", headers=guest.headers).json()
    assert marked == {"marked": 3, "unread": 0}


def test_invitations_are_for_hosts_and_known_people(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    host, guest, stranger = sign_up(client, "h"), sign_up(client, "g"), sign_up(client, "s")
    room = create_room(client, host)
    url = f"/api/v1/rooms/{room['id']}/invitations"
    assert join(client, guest, room).status_code == 200
    refused = client.post(url, json={"user_ids": [stranger.user["id"]]}, headers=guest.headers)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_allowed")
    unknown = client.post(
        url, json={"user_ids": ["00000000-0000-4000-8000-000000000000"]}, headers=host.headers
    )
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "user_not_found")
    only_me = client.post(url, json={"user_ids": [host.user["id"]]}, headers=host.headers)
    assert (only_me.status_code, only_me.json()["error"]["code"]) == (400, "no_invitees")
    empty = client.post(url, json={"user_ids": []}, headers=host.headers)
    assert empty.status_code == 422


def test_settings_choose_in_app_and_email(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    changed = client.put(
        "/api/v1/users/settings",
        json={"settings": {"notify_in_app": False, "notify_email_invitations": False}},
        headers=guest.headers,
    )
    assert changed.status_code == 200, changed.text
    room = create_room(client, host)
    response = client.post(
        f"/api/v1/rooms/{room['id']}/invitations",
        json={"user_ids": [guest.user["id"]]},
        headers=host.headers,
    )
    assert response.status_code == 200
    assert client.get("/api/v1/notifications", headers=guest.headers).json()["total"] == 0
    subjects = [mail["subject"] for mail in mails_to(client, guest.email)]
    assert "Invitation: Weekly sync" not in subjects
    # Email on, in-app off: the mail still goes.
    client.put(
        "/api/v1/users/settings",
        json={"settings": {"notify_email_invitations": True}},
        headers=guest.headers,
    )
    client.post(
        f"/api/v1/rooms/{room['id']}/invitations",
        json={"user_ids": [guest.user["id"]]},
        headers=host.headers,
    )
    subjects = [mail["subject"] for mail in mails_to(client, guest.email)]
    assert subjects.count("Invitation: Weekly sync") == 1
    assert client.get("/api/v1/notifications", headers=guest.headers).json()["total"] == 0


def test_room_ended_notifies_the_other_members(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    room = create_room(client, host, name="Retro")
    assert join(client, guest, room).status_code == 200
    assert client.post(f"/api/v1/rooms/{room['id']}/end", headers=host.headers).is_success
    [ended] = client.get("/api/v1/notifications", headers=guest.headers).json()["items"]
    assert (ended["type"], ended["title"]) == ("room_ended", "Retro has ended")
    assert client.get("/api/v1/notifications", headers=host.headers).json()["total"] == 0


def test_user_channel_refuses_bad_tokens_and_answers_ping(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    ana = sign_up(client, "ana")
    for url in ("/ws/user", "/ws/user?token=nope"):
        with client.websocket_connect(url) as ws:
            assert closed_with(ws) == 4401
    with client.websocket_connect(channel_url(ana)) as ws:
        next_event(ws, "ready")
        ws.send_text('{"type": "ping", "id": "p1"}')
        assert next_event(ws, "pong")["id"] == "p1"
        ws.send_text("{oops")
        assert next_event(ws, "error")["data"]["code"] == "bad_json"
        ws.send_text('{"type": "chat"}')
        assert next_event(ws, "error")["data"]["code"] == "unknown_type"
        ws.send_text('{"type": "ping"}')
        assert next_event(ws, "pong")["type"] == "pong"


def test_recording_ready_hook_reaches_members_and_webhooks(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, webhook_allow_private=True)
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    room = create_room(client, host, name="Town hall")
    assert join(client, guest, room).status_code == 200
    hook = client.post(
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/none", "events": ["recording.ready"]},
        headers=host.headers,
    ).json()
    services = runtime(client).services

    async def recording_ready() -> None:
        async with runtime(client).resources.sessions() as session:
            stored = await session.get(Room, uuid.UUID(room["id"]))
        await services.live.room_events.recording_ready(stored, "https://cdn.example/rec.webm")

    assert client.portal is not None
    client.portal.call(recording_ready)
    for who in (host, guest):
        [note] = client.get("/api/v1/notifications", headers=who.headers).json()["items"]
        assert note["type"] == "recording_ready"
        assert note["data"]["recording_url"] == "https://cdn.example/rec.webm"
    deliveries = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=host.headers)
    [delivery] = deliveries.json()["items"]
    assert delivery["event"] == "recording.ready"
    assert delivery["payload"]["data"] == {"url": "https://cdn.example/rec.webm"}


def test_embedded_jobs_show_in_the_app_metrics(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    sign_up(client, "ana")
    client.get("/api/v1/dev/mailbox")  # waits for the mail job
    body = client.get("/metrics").text
    assert 'rapat_jobs_finished_total{outcome="succeeded",task="rapat.send_mail"} 1.0' in body
