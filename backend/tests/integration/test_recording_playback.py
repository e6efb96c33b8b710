"""From the Record button to a file people play: aiortc participants over the real
WebSocket and UDP, a host records, a moderator may not until the room allows it, the
recording stops, the compose job makes one video, and members fetch it through a link
(seeking with Range) while strangers and stale links get nothing."""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path
from typing import Any

import av
import pytest
from fastapi.testclient import TestClient

from tests.integration.accounts_helpers import SignedIn
from tests.integration.app_fixtures import runtime
from tests.integration.media_clients import MediaClient, eventually
from tests.integration.sfu_fixtures import meeting

__all__ = ["meeting"]  # the fixture


@pytest.fixture
def compose_settings(tmp_path: Path) -> dict[str, Any]:
    return {"recording_enabled": True, "data_dir": tmp_path / "data"}


COMPOSING = pytest.mark.parametrize("meeting", ["compose_settings"], indirect=True)


async def _get(client: TestClient, url: str, who: SignedIn | None = None, **kw: Any) -> Any:
    # In a thread: the test's loop runs the aiortc participants meanwhile.
    headers = {**(who.headers if who is not None else {}), **kw.pop("headers", {})}
    return await asyncio.to_thread(client.get, url, headers=headers, **kw)


async def _ready(client: TestClient, who: SignedIn, room: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        page = (await _get(client, f"/api/v1/rooms/{room['id']}/recordings", who)).json()
        if page["items"] and page["items"][0]["status"] in ("ready", "failed"):
            item: dict[str, Any] = page["items"][0]
            return item
        await asyncio.sleep(0.2)
    raise AssertionError("the recording was not composed in time")


async def _notified(client: TestClient, who: SignedIn) -> list[dict[str, Any]]:
    """`who`'s recording_ready notifications, once there is one (announced after the
    row is marked ready)."""
    for _ in range(50):
        notes = (await _get(client, "/api/v1/notifications", who)).json()["items"]
        ready = [note for note in notes if note["type"] == "recording_ready"]
        if ready:
            return ready
        await asyncio.sleep(0.1)
    raise AssertionError("no recording_ready notification")


async def _state(client: MediaClient, active: bool) -> dict[str, Any]:
    event = await client.wait_event("recording_state", seconds=10)
    assert event["data"]["active"] is active, event
    data: dict[str, Any] = event["data"]
    return data


@COMPOSING
async def test_a_recorded_meeting_becomes_one_video_members_play_and_seek(meeting: Any) -> None:
    client, room, connect, people = meeting
    alice = connect(people[0])  # the host
    alice.add_tracks()
    await alice.publish()
    bob = connect()
    bob.add_tracks()
    await bob.publish()
    await eventually(lambda: len(alice.tracks) == 2 and len(bob.tracks) == 2, what="tracks")
    state = (await alice.wait_event("room_state"))["data"]
    assert state["recording_available"] is True

    alice.send("recording", {"active": True}, id="rec")
    await _state(bob, True)
    started = time.monotonic()
    # listed at once, while it records
    listed = (await _get(client, f"/api/v1/rooms/{room['id']}/recordings", people[1])).json()
    assert [item["status"] for item in listed["items"]] == ["recording"]
    await asyncio.sleep(3.0)
    alice.send("recording", {"active": False}, id="stop")
    await _state(bob, False)
    recorded_for = time.monotonic() - started

    item = await _ready(client, people[1], room)
    assert item["status"] == "ready", item
    assert item["progress"] == 100
    assert {p["user_id"] for p in item["participants"]} == {p.user["id"] for p in people}
    assert abs(item["duration_ms"] / 1000 - recorded_for) < 1.0, (item, recorded_for)

    link = (await _get(client, f"/api/v1/recordings/{item['id']}/link", people[1])).json()
    whole = await _get(client, link["url"])
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["accept-ranges"] == "bytes"
    assert int(whole.headers["content-length"]) == item["size_bytes"] == len(whole.content)
    assert whole.headers["content-disposition"].startswith("inline")
    with av.open(io.BytesIO(whole.content)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.name, audio.codec_context.name) == ("h264", "aac")
        assert (video.codec_context.width, video.codec_context.height) == (1280, 720)
        frames = sum(1 for _ in container.decode(video=0))
    assert frames >= 25 * (item["duration_ms"] / 1000) * 0.9

    # seeking: a player asks for ranges
    tail = await _get(client, link["url"], headers={"Range": "bytes=-100"})
    assert tail.status_code == 206
    size = item["size_bytes"]
    assert tail.headers["content-range"] == f"bytes {size - 100}-{size - 1}/{size}"
    assert tail.content == whole.content[-100:]
    middle = await _get(client, link["url"], headers={"Range": "bytes=1000-1999"})
    assert (middle.status_code, middle.content) == (206, whole.content[1000:2000])
    beyond = await _get(client, link["url"], headers={"Range": f"bytes={size}-"})
    assert (beyond.status_code, beyond.headers["content-range"]) == (416, f"bytes */{size}")
    saved = await _get(client, link["url"] + "&download=1")
    assert saved.headers["content-disposition"].startswith("attachment; filename=")

    # members hear of it, and the meeting's history links to it
    bob = people[1]
    ready = await _notified(client, bob)
    assert ready[0]["data"]["recording_url"].endswith(f"/recordings/{item['id']}")
    history = (await _get(client, f"/api/v1/rooms/{room['id']}/history", bob)).json()
    assert {entry["recording_url"] for entry in history["items"]} == {
        ready[0]["data"]["recording_url"]
    }

    # the raw tracks are gone once the composed file is stored
    raw_root = runtime(client).settings.recording.directory / room["id"]
    assert await asyncio.to_thread(lambda: list(raw_root.glob("*/*.webm"))) == []


@COMPOSING
async def test_moderators_record_only_where_the_room_lets_them(meeting: Any) -> None:
    client, room, connect, people = meeting
    alice = connect(people[0])
    alice.add_tracks()
    await alice.publish()
    bob = connect()
    bob.add_tracks()
    await bob.publish()
    await eventually(lambda: len(bob.tracks) == 2, what="tracks")
    url = f"/api/v1/rooms/{room['id']}/participants/{people[1].user['id']}"
    promoted = await asyncio.to_thread(
        client.put, url, json={"role": "moderator"}, headers=people[0].headers
    )
    assert promoted.status_code == 200

    bob.send("recording", {"active": True}, id="try")
    refused = await bob.wait_event("error", seconds=10)
    assert (refused["id"], refused["data"]["code"]) == ("try", "not_allowed")

    settings_url = f"/api/v1/rooms/{room['id']}/settings"
    changed = await asyncio.to_thread(
        client.put,
        settings_url,
        json={"recording_permission": "hosts_and_moderators"},
        headers=people[0].headers,
    )
    assert changed.status_code == 200, changed.text
    await bob.wait_event("room_settings", seconds=10)
    bob.send("recording", {"active": True}, id="again")
    assert (await _state(alice, True))["by"] == people[1].user["id"]
    bob.send("recording", {"active": False}, id="stop")
    await _state(alice, False)
