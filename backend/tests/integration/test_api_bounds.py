"""Numbers and dates a client may send are bounded where the database and the calendar
need it: an answer of 422, never a 500 (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room

HUGE = str(2**63)  # one past PostgreSQL's bigint


def test_an_offset_beyond_any_list_is_refused(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url, webhook_allow_private=True)
    host = sign_up(client, "host")
    room = create_room(client, host)
    lists = [
        "/api/v1/rooms",
        "/api/v1/rooms/history",
        f"/api/v1/rooms/{room['id']}/history",
        "/api/v1/notifications",
    ]
    hook = client.post(
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/rapat", "events": ["room.ended"]},
        headers=host.headers,
    )
    assert hook.status_code == 201, hook.text
    lists.append(f"/api/v1/webhooks/{hook.json()['id']}/deliveries")
    for path in lists:
        assert client.get(path, params={"offset": HUGE}, headers=host.headers).status_code == 422
        last = client.get(path, params={"offset": 1_000_000_000}, headers=host.headers)
        assert last.status_code == 200, path


def test_meeting_times_stay_within_the_calendar(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    host = sign_up(client, "host")
    for when in ("9999-12-31T23:00:00Z", "1970-01-01T00:00:00Z"):
        response = client.post(
            "/api/v1/rooms",
            json={"name": "Far away", "scheduled_at": when, "duration_minutes": 60},
            headers=host.headers,
        )
        assert response.status_code == 422, when
        assert "2000 and 2099" in response.text
    room = create_room(client, host, scheduled_at="2099-12-31T09:00:00Z", duration_minutes=60)
    invitation = client.get(f"/api/v1/rooms/{room['id']}/invite.ics", headers=host.headers)
    assert invitation.status_code == 200
