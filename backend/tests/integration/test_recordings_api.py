"""Recordings over REST, on SQLite and PostgreSQL: who sees them, who may delete or retry
them, a compose that fails for want of files, links that open one file for a few
minutes, and retention. The ledger is driven as the conference drives it (capture
started, capture stopped); the compose job runs on the app's own job system."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rapat.services.recording_ledger import RecordingLedger
from rapat.storage.models import Recording
from rapat.storage.uow import UnitOfWork
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker, runtime
from tests.integration.rooms_helpers import create_room, join

Meeting = tuple[TestClient, dict[str, Any], SignedIn, SignedIn, SignedIn]


@pytest.fixture
def recorded(make_client: AppMaker, database_url: str, tmp_path: Path) -> Meeting:
    """A room with a host and a member who joined, and an outsider."""
    client = make_client(database_url, recording_enabled=True, data_dir=tmp_path / "data")
    host, member, outsider = (sign_up(client, name) for name in ("host", "member", "outsider"))
    room = create_room(client, host, name="Design review")
    for who in (host, member):
        assert join(client, who, room).status_code == 200
    return client, room, host, member, outsider


def ledger(client: TestClient) -> RecordingLedger:
    return runtime(client).services.recordings.ledger


def begin(client: TestClient, room: dict[str, Any], by: SignedIn, directory: Path) -> str:
    recording_id = uuid.uuid4()
    started = partial(
        ledger(client).begin,
        uuid.UUID(room["id"]),
        recording_id,
        uuid.UUID(by.user["id"]),
        time.time(),
        directory,
    )
    client.portal.call(started)
    return str(recording_id)


def finish(client: TestClient, recording_id: str, **people: str) -> None:
    participants = {user_id: {"display_name": name} for user_id, name in people.items()}
    stopped = partial(
        ledger(client).finish,
        uuid.UUID(recording_id),
        reason="requested",
        error=None,
        participants=participants,
    )
    client.portal.call(stopped)


def recording(client: TestClient, who: SignedIn, recording_id: str) -> Any:
    return client.get(f"/api/v1/recordings/{recording_id}", headers=who.headers)


def settled(client: TestClient, who: SignedIn, recording_id: str) -> dict[str, Any]:
    """The recording once its compose job is done (ready or failed)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        client.portal.call(runtime(client).jobs.wait_running)
        body: dict[str, Any] = recording(client, who, recording_id).json()
        if body["status"] in ("ready", "failed"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"the compose of {recording_id} did not finish")


def test_members_see_a_recording_while_it_runs_and_strangers_learn_nothing(
    recorded: Meeting, tmp_path: Path
) -> None:
    client, room, host, member, outsider = recorded
    recording_id = begin(client, room, host, tmp_path / "raw")

    for who in (host, member):
        listed = client.get(f"/api/v1/rooms/{room['id']}/recordings", headers=who.headers)
        assert listed.status_code == 200
        page = listed.json()
        assert page["total"] == 1
        (item,) = page["items"]
        assert (item["id"], item["status"], item["download_url"]) == (
            recording_id,
            "recording",
            None,
        )
        assert item["room"] == {
            "id": room["id"],
            "name": "Design review",
            "code": room["code"],
        }
        assert item["can_manage"] is (who is host)
        mine = client.get("/api/v1/recordings", headers=who.headers).json()
        assert [entry["id"] for entry in mine["items"]] == [recording_id]

    assert recording(client, outsider, recording_id).status_code == 404
    refused = client.get(f"/api/v1/rooms/{room['id']}/recordings", headers=outsider.headers)
    assert refused.status_code == 403
    assert client.get("/api/v1/recordings", headers=outsider.headers).json()["total"] == 0
    assert recording(client, host, str(uuid.uuid4())).status_code == 404
    assert client.get(f"/api/v1/recordings/{recording_id}").status_code == 401


def test_a_recording_without_files_fails_with_a_reason_and_only_its_managers_retry_it(
    recorded: Meeting, tmp_path: Path
) -> None:
    client, room, host, member, _ = recorded
    recording_id = begin(client, room, host, tmp_path / "raw" / "missing")
    finish(client, recording_id, **{host.user["id"]: "Host"})

    failed = settled(client, host, recording_id)
    assert failed["status"] == "failed"
    assert failed["error"].startswith("recording_files_unreadable")
    assert failed["stop_reason"] == "requested"
    assert failed["participants"] == [{"user_id": host.user["id"], "display_name": "Host"}]
    link = client.get(f"/api/v1/recordings/{recording_id}/link", headers=member.headers)
    assert (link.status_code, link.json()["error"]["code"]) == (409, "recording_not_ready")

    retry_url = f"/api/v1/recordings/{recording_id}/retry"
    assert client.post(retry_url, headers=member.headers).status_code == 403
    again = client.post(retry_url, headers=host.headers)
    assert again.status_code == 202
    assert again.json()["status"] == "queued"
    assert settled(client, host, recording_id)["status"] == "failed"
    with_attempts = client.portal.call(_row, client, recording_id)
    assert with_attempts.compose_attempts == 2
    # a recording that did not fail is not retried
    running = begin(client, room, host, tmp_path / "raw" / "other")
    refused = client.post(f"/api/v1/recordings/{running}/retry", headers=host.headers)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "recording_not_failed")


async def _row(client: TestClient, recording_id: str) -> Recording:
    sessions = runtime(client).resources.system_sessions
    async with UnitOfWork(sessions) as uow:
        row = await uow.session.get(Recording, uuid.UUID(recording_id))
        assert row is not None
        return row


def test_the_host_deletes_a_recording_and_its_raw_files_a_member_may_not(
    recorded: Meeting, tmp_path: Path
) -> None:
    client, room, host, member, _ = recorded
    raw = tmp_path / "raw" / "deleted"
    raw.mkdir(parents=True)
    (raw / "leftover.webm").write_bytes(b"x")
    recording_id = begin(client, room, host, raw)
    url = f"/api/v1/recordings/{recording_id}"
    busy = client.delete(url, headers=host.headers)
    assert (busy.status_code, busy.json()["error"]["code"]) == (409, "recording_busy")
    finish(client, recording_id)
    assert settled(client, host, recording_id)["status"] == "failed"

    assert client.delete(url, headers=member.headers).status_code == 403
    assert client.delete(url, headers=host.headers).status_code == 204
    assert recording(client, host, recording_id).status_code == 404
    assert not raw.exists()
    assert client.delete(url, headers=host.headers).status_code == 404


def test_file_links_are_checked_before_anything_is_read(recorded: Meeting, tmp_path: Path) -> None:
    client, room, host, _, _ = recorded
    recording_id = begin(client, room, host, tmp_path / "raw")
    for token in ("", "not-a-token", "a" * 3000):
        response = client.get(f"/api/v1/recordings/{recording_id}/file", params={"token": token})
        assert response.status_code in (401, 422), token
    # a link token made for another recording opens nothing here
    links = runtime(client).services.recordings.service._links
    token, _ = links.issue(f"recording:{uuid.uuid4()}", uuid.UUID(host.user["id"]), uuid.uuid4())
    response = client.get(f"/api/v1/recordings/{recording_id}/file", params={"token": token})
    assert (response.status_code, response.json()["error"]["code"]) == (401, "link_invalid")


def test_retention_deletes_recordings_older_than_the_limit_only(
    make_client: AppMaker, database_url: str, tmp_path: Path
) -> None:
    client = make_client(
        database_url,
        recording_enabled=True,
        recording_retention_days=7,
        data_dir=tmp_path / "data",
    )
    host = sign_up(client, "host")
    room = create_room(client, host)
    old, recent, running = (begin(client, room, host, tmp_path / name) for name in "abc")
    for recording_id in (old, recent):
        finish(client, recording_id)
        settled(client, host, recording_id)
    client.portal.call(_stopped_days_ago, client, old, 8)
    client.portal.call(_stopped_days_ago, client, recent, 6)

    # The in-process scheduler runs the hourly purge too (its first run comes when its
    # loop first ticks, which may be now): between the two, the old recording went once.
    purged = client.portal.call(runtime(client).services.recordings.purge)
    assert purged in (0, 1)
    assert client.portal.call(runtime(client).services.recordings.purge) == 0
    assert recording(client, host, old).status_code == 404
    assert recording(client, host, recent).status_code == 200
    assert recording(client, host, running).status_code == 200


async def _stopped_days_ago(client: TestClient, recording_id: str, days: int) -> None:
    sessions = runtime(client).resources.system_sessions
    async with UnitOfWork(sessions) as uow:
        row = await uow.session.get(Recording, uuid.UUID(recording_id))
        assert row is not None
        row.stopped_at = datetime.now(UTC) - timedelta(days=days)
