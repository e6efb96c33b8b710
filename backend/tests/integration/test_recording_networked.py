"""A recording the way a grown deployment makes it: PostgreSQL, the compose job through
RabbitMQ to a `rapat worker`, the composed file in S3-compatible storage (SeaweedFS), and
members fetching it by a presigned link straight from the store."""

from __future__ import annotations

import asyncio
import io
import threading
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import av
import httpx2 as httpx
import pytest

from rapat.conference.recording_manifest import (
    Manifest,
    SegmentEntry,
    TrackEntry,
    write_manifest,
)
from rapat.recording.media_codecs import MediaCodec
from rapat.recording.track_recorder import TrackRecorder
from rapat.worker import run_worker
from tests.compose_media import BLUE, RED, START, colour_packets, tone_packets
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker, make_settings, runtime
from tests.integration.jobs_helpers import AMQP_URL, delete_queues
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_recordings_api import ledger, settled
from tests.recording_files import feed
from tests.s3_server import S3Credentials

pytestmark = pytest.mark.rabbitmq

SECONDS = 4.0


def _track(
    directory: Path, who: SignedIn, source: str, codec: MediaCodec, sent: list[Any]
) -> TrackEntry:
    """One published track, written by the real recorder as the SFU would."""
    kind = "audio" if source == "microphone" else "video"
    name = f"{who.user['id']}-{source}-1"
    recorder = TrackRecorder(directory, f"{name}-0001", codec)
    feed(recorder, sent)
    recorder.close()
    entry = TrackEntry(name, who.user["id"], source, kind, codec.spec.muxer_name, START)
    entry.closed_at = START + SECONDS
    entry.segments = [SegmentEntry.of(info) for info in recorder.segments]
    return entry


def _raw_recording(directory: Path, room: dict[str, Any], people: list[SignedIn]) -> Manifest:
    directory.mkdir(parents=True)
    manifest = Manifest(str(uuid.uuid4()), room["id"], people[0].user["id"], START)
    manifest.status, manifest.stopped_at, manifest.stop_reason = (
        "stopped",
        START + SECONDS,
        "requested",
    )
    for who, colour, pitch in zip(people, (RED, BLUE), (440.0, 1000.0), strict=True):
        manifest.participants[who.user["id"]] = {"display_name": who.email.split("@")[0]}
        manifest.tracks.append(
            _track(directory, who, "camera", MediaCodec.VP8, colour_packets(colour, SECONDS))
        )
        manifest.tracks.append(
            _track(directory, who, "microphone", MediaCodec.OPUS, tone_packets(pitch, SECONDS))
        )
    write_manifest(directory, manifest)
    return manifest


@pytest.fixture
def queue_name() -> Iterator[str]:
    name = f"rapat-test-{uuid.uuid4().hex[:10]}"
    yield name
    asyncio.run(delete_queues(name))


def _worker(settings: Any) -> tuple[threading.Thread, Any]:
    """`rapat worker` on its own thread and event loop; returns it and how to stop it."""
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    def run() -> None:
        try:
            loop.run_until_complete(run_worker(settings, scheduler=False, stop=stop))
        finally:
            loop.close()  # (its self-pipe is a socket pair: left open, a ResourceWarning)

    thread = threading.Thread(target=run, name="recording-worker", daemon=True)
    thread.start()
    return thread, partial(loop.call_soon_threadsafe, stop.set)


def test_postgres_rabbitmq_and_s3_compose_store_and_hand_out_a_presigned_link(
    make_client: AppMaker,
    postgres_url: str,
    s3_server: S3Credentials,
    queue_name: str,
    tmp_path: Path,
) -> None:
    overrides = {
        "recording_enabled": True,
        "data_dir": tmp_path / "data",
        "broker_url": AMQP_URL,
        "jobs_queue": queue_name,
        "recording_store": "s3",
        "recording_s3_endpoint_url": s3_server.endpoint_url,
        "recording_s3_bucket": f"rapat-rec-{uuid.uuid4().hex[:12]}",
        "recording_s3_access_key": s3_server.access_key,
        "recording_s3_secret_key": s3_server.secret_key,
        "recording_s3_create_bucket": True,
    }
    client = make_client(postgres_url, **overrides)
    worker, stop_worker = _worker(make_settings(tmp_path, postgres_url, **overrides))
    try:
        people = [sign_up(client, "host"), sign_up(client, "guest")]
        room = create_room(client, people[0], name="Networked")
        for who in people:
            assert join(client, who, room).status_code == 200
        raw = tmp_path / "data" / "recordings" / room["id"] / "rec"
        manifest = _raw_recording(raw, room, people)
        recording_id = uuid.UUID(manifest.recording_id)
        ids = (uuid.UUID(room["id"]), recording_id, uuid.UUID(people[0].user["id"]))
        client.portal.call(partial(ledger(client).begin, *ids, START, raw))
        finished = partial(
            ledger(client).finish,
            recording_id,
            reason="requested",
            error=None,
            participants=manifest.participants,
            stopped_at=START + SECONDS,
        )
        client.portal.call(finished)

        done = settled(client, people[1], str(recording_id))
        assert done["status"] == "ready", done
        assert abs(done["duration_ms"] - SECONDS * 1000) <= 200

        link = client.get(f"/api/v1/recordings/{recording_id}/link", headers=people[1].headers)
        url = link.json()["url"]
        assert url.startswith(s3_server.endpoint_url), url  # straight from the store
        whole = httpx.get(url)
        assert whole.status_code == 200
        assert len(whole.content) == done["size_bytes"]
        assert "attachment" in whole.headers["content-disposition"]
        with av.open(io.BytesIO(whole.content)) as container:
            assert container.streams.video[0].codec_context.name == "h264"
            assert container.streams.audio[0].codec_context.name == "aac"
        part = httpx.get(url, headers={"Range": "bytes=0-99"})
        assert (part.status_code, part.content) == (206, whole.content[:100])
        assert not raw.exists()  # the raw tracks went once the file was in the store

        url_of = f"/api/v1/recordings/{recording_id}"
        assert client.delete(url_of, headers=people[0].headers).status_code == 204
        store = runtime(client).recording_store
        assert client.portal.call(store.stat, f"{room['id']}/{recording_id}/recording.mp4") is None
    finally:
        stop_worker()
        worker.join(30)
    assert not worker.is_alive()
