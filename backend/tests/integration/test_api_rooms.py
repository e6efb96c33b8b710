"""/api/v1/rooms through HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import create_async_engine

from rapat.storage.engine import create_session_factory
from rapat.storage.models import RoomMessage
from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room, join


def test_create_get_by_id_and_code(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client, "host", first_name="Hana", last_name="Host")
    room = create_room(client, host, description="Plans", max_users=5)
    assert room["my_role"] == "host"
    assert room["host"]["first_name"] == "Hana"
    assert room["has_password"] is False
    assert room["status"] == "active"
    assert room["invite_url"].endswith(f"/r/{room['code']}")
    assert len(room["code"]) == 12
    by_code = client.get(f"/api/v1/rooms/{room['code']}", headers=host.headers).json()
    assert by_code["id"] == room["id"]
    typed = room["code"].replace("-", "").upper()
    assert client.get(f"/api/v1/rooms/{typed}", headers=host.headers).json()["id"] == room["id"]
    guest = sign_up(client, "guest")
    seen = client.get(f"/api/v1/rooms/{room['code']}", headers=guest.headers).json()
    assert seen["my_role"] is None
    assert "password" not in str(seen).replace("has_password", "")
    for missing in ("abc-defg-hij", "00000000-0000-0000-0000-000000000000", "nonsense"):
        assert client.get(f"/api/v1/rooms/{missing}", headers=host.headers).status_code == 404
    assert client.get(f"/api/v1/rooms/{room['id']}").status_code == 401


def test_create_validates(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client)
    for body in (
        {"name": ""},
        {"name": "x", "max_users": 0},
        {"name": "x", "max_users": 101},
        {"name": "x", "scheduled_at": "2026-12-01T09:00:00"},  # no time zone
        {"name": "x", "duration_minutes": 0},
        {"name": "x", "password": "abc"},
        {"name": "x", "settings": {"allow_chat": "yes"}},
        {"name": "x", "settings": {"unknown": True}},
        {"name": "x", "surprise": 1},
    ):
        response = client.post("/api/v1/rooms", json=body, headers=host.headers)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["error"]["code"] == "validation_failed"


def test_join_with_password_leave_and_history(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client, "host")
    guest = sign_up(client, "guest")
    room = create_room(client, host, password="open sesame")
    assert room["has_password"] is True

    wrong = join(client, guest, room, password="nope")
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "wrong_password"
    assert join(client, guest, room).status_code == 403
    joined = join(client, guest, room, password="open sesame")
    assert joined.status_code == 200, joined.text
    assert joined.json()["participant"]["role"] == "participant"
    assert joined.json()["room"]["participant_count"] == 1
    assert join(client, host, room).status_code == 200  # the host needs no password

    people = client.get(f"/api/v1/rooms/{room['id']}/participants", headers=guest.headers).json()
    assert sorted(p["role"] for p in people) == ["host", "participant"]

    assert (
        client.post(f"/api/v1/rooms/{room['id']}/leave", headers=guest.headers).status_code == 204
    )
    again = client.post(f"/api/v1/rooms/{room['id']}/leave", headers=guest.headers)
    assert again.status_code == 409
    # A member who left rejoins without the password.
    assert join(client, guest, room).status_code == 200
    client.post(f"/api/v1/rooms/{room['id']}/leave", headers=guest.headers)

    history = client.get(f"/api/v1/rooms/{room['id']}/history", headers=host.headers).json()
    guest_entries = [e for e in history["items"] if e["user"]["id"] == guest.user["id"]]
    assert len(guest_entries) == 2
    assert all(e["duration_seconds"] is not None and e["left_at"] for e in guest_entries)
    mine = client.get("/api/v1/rooms/history", headers=guest.headers).json()
    assert mine["total"] == 2
    assert mine["items"][0]["room"]["code"] == room["code"]


def test_end_closes_every_participation(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client, "host")
    guests = [sign_up(client, f"g{i}") for i in range(3)]
    room = create_room(client, host)
    for guest in guests:
        assert join(client, guest, room).status_code == 200
    ended = client.post(f"/api/v1/rooms/{room['id']}/end", headers=host.headers)
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"
    assert ended.json()["ended_at"] is not None
    assert ended.json()["participant_count"] == 0
    history = client.get(f"/api/v1/rooms/{room['id']}/history", headers=host.headers).json()
    assert all(entry["left_at"] is not None for entry in history["items"])
    late = join(client, sign_up(client, "late"), room)
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "room_ended"
    again = client.post(f"/api/v1/rooms/{room['id']}/end", headers=host.headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"


def test_persistent_room_stays_active(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client)
    guest = sign_up(client, "guest")
    room = create_room(client, host, persistent=True)
    join(client, guest, room)
    ended = client.post(f"/api/v1/rooms/{room['id']}/end", headers=host.headers).json()
    assert ended["status"] == "active"
    assert ended["participant_count"] == 0
    assert join(client, guest, room).status_code == 200


def test_status_transitions_and_updates(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client)
    room = create_room(client, host, password="first pass")
    url = f"/api/v1/rooms/{room['id']}"
    updated = client.put(
        url, json={"name": "Renamed", "password": None, "max_users": 3}, headers=host.headers
    ).json()
    assert (updated["name"], updated["has_password"], updated["max_users"]) == ("Renamed", False, 3)
    assert client.put(url, json={"status": "ended"}, headers=host.headers).status_code == 422
    assert client.put(url, json={"name": None}, headers=host.headers).status_code == 400
    cancelled = client.put(url, json={"status": "cancelled"}, headers=host.headers)
    assert cancelled.json()["status"] == "cancelled"
    after = client.put(url, json={"name": "Again"}, headers=host.headers)
    assert after.status_code == 409
    assert join(client, sign_up(client, "g"), room).json()["error"]["code"] == "room_cancelled"
    assert client.delete(url, headers=host.headers).status_code == 204
    assert client.get(url, headers=host.headers).status_code == 404


def test_list_scopes_and_upcoming(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client)
    other = sign_up(client, "other")
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    later = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    create_room(client, host, name="Later", scheduled_at=later)
    create_room(client, host, name="Soon", scheduled_at=soon, duration_minutes=45)
    create_room(client, host, name="Adhoc")
    theirs = create_room(client, other, name="Theirs")
    join(client, host, theirs)

    def names(query: str) -> list[str]:
        body = client.get(f"/api/v1/rooms{query}", headers=host.headers).json()
        return [room["name"] for room in body["items"]]

    assert sorted(names("")) == ["Adhoc", "Later", "Soon", "Theirs"]  # before the cancelled one
    assert sorted(names("?scope=hosted")) == ["Adhoc", "Later", "Soon"]
    assert names("?scope=joined") == ["Theirs"]
    assert names("?upcoming=true") == ["Soon", "Later"]
    cancelled = create_room(client, host, name="Called off", scheduled_at=soon)
    client.put(
        f"/api/v1/rooms/{cancelled['id']}", json={"status": "cancelled"}, headers=host.headers
    )
    assert names("?upcoming=true") == ["Soon", "Later"]
    page = client.get("/api/v1/rooms?limit=2&offset=0", headers=host.headers).json()
    assert (len(page["items"]), page["total"]) == (2, 5)
    assert client.get("/api/v1/rooms?limit=0", headers=host.headers).status_code == 422


def test_settings_round_trip(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client)
    room = create_room(client, host, settings={"mute_on_join": True})
    url = f"/api/v1/rooms/{room['id']}/settings"
    settings = client.get(url, headers=host.headers).json()
    assert settings == {
        "mute_on_join": True,
        "camera_off_on_join": False,
        "allow_chat": True,
        "allow_screen_share": True,
        "lobby_enabled": False,
        "max_video_resolution": "720p",
        "media_mode": "auto",
        "recording_permission": "host",
    }
    changed = client.put(
        url, json={"max_video_resolution": "1080p", "allow_chat": False}, headers=host.headers
    ).json()
    assert changed["max_video_resolution"] == "1080p"
    assert changed["allow_chat"] is False
    assert changed["mute_on_join"] is True
    bad = client.put(url, json={"max_video_resolution": "4k"}, headers=host.headers)
    assert bad.status_code == 422
    assert client.put(url, json={"allow_chat": 1}, headers=host.headers).status_code == 422


def test_ics_invitation(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client, first_name="Hana", last_name="Host")
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    room = create_room(
        client, host, name="Plan; review, Q1", scheduled_at=start.isoformat(), duration_minutes=30
    )
    response = client.get(f"/api/v1/rooms/{room['id']}/invite.ics", headers=host.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert f"rapat-{room['code']}.ics" in response.headers["content-disposition"]
    text = response.text
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART:20261201T090000Z\r\n" in text
    assert "DTEND:20261201T093000Z\r\n" in text
    assert "SUMMARY:Plan\\; review\\, Q1\r\n" in text
    assert f"UID:{room['id']}@rapat" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    adhoc = create_room(client, host)
    missing = client.get(f"/api/v1/rooms/{adhoc['id']}/invite.ics", headers=host.headers)
    assert missing.status_code == 409
    assert missing.json()["error"]["code"] == "not_scheduled"


def test_messages_page_with_a_cursor(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client)
    room = create_room(client, host)

    async def write_messages() -> None:
        engine = create_async_engine(database_url)
        sessions = create_session_factory(engine)
        base = datetime.now(UTC)
        async with sessions() as session:
            for index in range(7):
                session.add(
                    RoomMessage(
                        room_id=uuid.UUID(room["id"]),
                        user_id=uuid.UUID(host.user["id"]),
                        message=f"m{index}",
                        created_at=base + timedelta(seconds=index),
                    )
                )
            await session.commit()
        await engine.dispose()

    asyncio.run(write_messages())
    url = f"/api/v1/rooms/{room['id']}/messages"
    first = client.get(f"{url}?limit=3", headers=host.headers).json()
    assert [m["message"] for m in first["items"]] == ["m6", "m5", "m4"]
    second = client.get(f"{url}?limit=3&before={first['next_cursor']}", headers=host.headers).json()
    assert [m["message"] for m in second["items"]] == ["m3", "m2", "m1"]
    last = client.get(f"{url}?limit=3&before={second['next_cursor']}", headers=host.headers).json()
    assert [m["message"] for m in last["items"]] == ["m0"]
    assert last["next_cursor"] is None
    assert client.get(f"{url}?before=garbage!", headers=host.headers).status_code == 400


def test_assign_roles(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client)
    guest = sign_up(client, "guest")
    room = create_room(client, host)
    join(client, guest, room)
    url = f"/api/v1/rooms/{room['id']}/participants/{guest.user['id']}"
    promoted = client.put(url, json={"role": "moderator"}, headers=host.headers)
    assert promoted.json()["role"] == "moderator"
    assert client.put(url, json={"role": "host"}, headers=host.headers).status_code == 422
    self_promotion = client.put(
        f"/api/v1/rooms/{room['id']}/participants/{host.user['id']}",
        json={"role": "observer"},
        headers=guest.headers,
    )
    assert self_promotion.status_code == 403
    unknown = client.put(
        f"/api/v1/rooms/{room['id']}/participants/{sign_up(client, 'x').user['id']}",
        json={"role": "observer"},
        headers=host.headers,
    )
    assert unknown.status_code == 404
