"""The metrics the operators' dashboards and alerts read (decision 60): joins timed and
counted by outcome, open WebSockets, the dependencies' health, the recording disks."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from rapat.observability.disk_metrics import existing_ancestor
from rapat.storage import migrate
from tests.integration.app_fixtures import AppMaker
from tests.integration.test_signaling import close_code, meeting, until, ws_url


def samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a scrape, by name and labels."""
    text = client.get("/metrics").text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    scrape: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return scrape[(name, frozenset(labels.items()))]


def test_joins_are_timed_and_counted_by_outcome(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    room, host, _ = meeting(client)
    with client.websocket_connect(ws_url(room, host, token="not-a-token")) as ws:
        assert close_code(ws) == 4401
    with client.websocket_connect(ws_url(room, host)) as ws:
        until(ws, "room_state")
        scrape = samples(client)
        assert value(scrape, "rapat_ws_connections", endpoint="meeting") == 1
    assert value(scrape, "rapat_signaling_joins_total", outcome="joined") == 1
    assert value(scrape, "rapat_signaling_joins_total", outcome="refused") == 1
    assert value(scrape, "rapat_signaling_joins_total", outcome="failed") == 0
    assert value(scrape, "rapat_signaling_join_duration_seconds_count") == 1
    took = value(scrape, "rapat_signaling_join_duration_seconds_sum")
    assert 0 < took < 5
    inf = value(scrape, "rapat_signaling_join_duration_seconds_bucket", le="+Inf")
    assert inf == 1
    after = samples(client)
    assert value(after, "rapat_ws_connections", endpoint="meeting") == 0
    # the room's socket went (its seat waits for a reconnect)
    assert value(after, "rapat_signaling_seats_in_grace") == 1


def test_a_dependency_down_shows_in_its_gauge(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, migrate_first=False)  # the schema is not there
    scrape = samples(client)
    assert value(scrape, "rapat_dependency_up", dependency="database") == 0
    assert value(scrape, "rapat_dependency_up", dependency="cache") == 1
    client.get("/readyz")  # (the probe refreshes them too)
    migrate.upgrade(sqlite_url)
    assert value(samples(client), "rapat_dependency_up", dependency="database") == 1


def test_the_recording_disks_free_space_is_the_file_systems(
    make_client: AppMaker, sqlite_url: str, tmp_path: Path
) -> None:
    client = make_client(sqlite_url, data_dir=tmp_path / "data")
    scrape = samples(client)
    stats = os.statvfs(tmp_path)
    for directory in ("capture", "store"):
        size = value(scrape, "rapat_recording_disk_size_bytes", directory=directory)
        assert size == stats.f_blocks * stats.f_frsize
        free = value(scrape, "rapat_recording_disk_free_bytes", directory=directory)
        assert abs(free - stats.f_bavail * stats.f_frsize) < 64 * 2**20  # others write too
    assert existing_ancestor(tmp_path / "data" / "recordings" / "a") == tmp_path
