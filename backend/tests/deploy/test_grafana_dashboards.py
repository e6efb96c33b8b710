"""The Grafana dashboards: the committed JSON is what deploy/grafana/build.py writes, and
every query names metrics a running Rapat exports (decision 60)."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.observability import (
    DASHBOARDS,
    PROMETHEUS_OWN,
    dashboard_queries,
    dashboards,
    exercised_scrape,
    load_generator,
    metric_names,
)
from tests.integration.app_fixtures import AppMaker


def test_the_committed_dashboards_are_the_generators_output() -> None:
    generator = load_generator()
    built = {name: generator.render(board) for name, board in generator.build().items()}
    committed = {path.name: path.read_text() for path in Path(DASHBOARDS).glob("*.json")}
    assert committed == built, "run: python deploy/grafana/build.py"
    assert generator.main(["--check"]) == 0


def test_panels_are_laid_out_without_overlap_and_with_unique_ids() -> None:
    for name, board in dashboards().items():
        ids = [panel["id"] for panel in board["panels"]]
        assert len(ids) == len(set(ids)), name
        cells: set[tuple[int, int]] = set()
        for panel in board["panels"]:
            box = panel["gridPos"]
            assert box["x"] + box["w"] <= 24, (name, panel["title"])
            covered = {
                (box["x"] + dx, box["y"] + dy) for dx in range(box["w"]) for dy in range(box["h"])
            }
            assert not covered & cells, (name, panel["title"])
            cells |= covered


def test_the_tokenizer_finds_metric_names_and_nothing_else() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{instance=~"$x", '
        'route!="b"}[$__rate_interval]))) / ignoring (job) c_total offset 5m > 1e3 '
        "and on (instance) up == bool 0 unless d:rate5m - time() < 14 * 86400"
    )
    assert metric_names(expr) == {"a_bucket", "c_total", "up", "d:rate5m"}


def test_every_query_names_a_metric_rapat_exports(make_client: AppMaker, sqlite_url: str) -> None:
    exported = exercised_scrape(make_client(sqlite_url)) | PROMETHEUS_OWN
    queried: set[str] = set()
    for query in dashboard_queries():
        names = metric_names(query)
        assert names, query
        queried |= names
    assert queried - exported == set()
    # each panel family the issue asks for is there
    for wanted in (
        "rapat_sfu_rooms",
        "rapat_sfu_participants",
        "rapat_sfu_forwarded_bytes_total",
        "rapat_sfu_nacked_packets_total",
        "rapat_sfu_keyframe_requests_total",
        "rapat_signaling_join_duration_seconds_bucket",
        "rapat_http_request_duration_seconds_bucket",
        "rapat_ws_connections",
        "rapat_job_dead_letters_total",
        "rapat_dependency_up",
    ):
        assert wanted in queried, wanted
