"""Rapat's Grafana dashboards, written as plain dictionaries (decision 60) and saved as the
JSON Grafana provisions from deploy/grafana/dashboards/.

    python deploy/grafana/build.py           # write the JSON files
    python deploy/grafana/build.py --check   # fail when a committed file differs

Every query uses only metrics Rapat exports (checked against a real scrape by
backend/tests/deploy/test_grafana_dashboards.py) and `up`, which Prometheus adds. Each
dashboard has a `datasource` and an `instance` variable: every panel is per process."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DASHBOARDS = Path(__file__).resolve().parent / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
INSTANCE = 'instance=~"$instance"'
RATE = "$__rate_interval"
SCHEMA_VERSION = 39
# Every Rapat process (web node or worker) exports the job counters, from its start.
INSTANCES = "rapat_jobs_finished_total"


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str


@dataclass(frozen=True)
class Panel:
    title: str
    queries: tuple[Query, ...]
    unit: str = "short"
    description: str = ""
    width: int = 12
    stack: bool = False


@dataclass(frozen=True)
class Row:
    title: str
    panels: tuple[Panel, ...] = field(default_factory=tuple)


def q(expr: str, legend: str = "{{instance}}") -> Query:
    return Query(expr, legend)


def by_instance(metric: str, selector: str = "") -> str:
    """A gauge summed per process, filtered by the dashboard's instance variable."""
    labels = ", ".join(part for part in (INSTANCE, selector) if part)
    return f"sum by (instance) ({metric}{{{labels}}})"


def rate(metric: str, selector: str = "", by: str = "instance") -> str:
    labels = ", ".join(part for part in (INSTANCE, selector) if part)
    return f"sum by ({by}) (rate({metric}{{{labels}}}[{RATE}]))"


def increase(metric: str, selector: str = "", by: str = "task") -> str:
    labels = ", ".join(part for part in (INSTANCE, selector) if part)
    return f"sum by ({by}) (increase({metric}{{{labels}}}[{RATE}]))"


def quantile(value: float, histogram: str, by: str) -> str:
    keep = f"le, {by}" if by else "le"
    return f"histogram_quantile({value}, {rate(histogram + '_bucket', by=keep)})"


def ratio(numerator: str, denominator: str) -> str:
    return f"{numerator} / {denominator}"


def timeseries(panel: Panel, x: int, y: int, panel_id: int) -> dict[str, Any]:
    custom: dict[str, Any] = {"fillOpacity": 10, "showPoints": "never", "spanNulls": True}
    if panel.stack:
        custom["stacking"] = {"mode": "normal", "group": "A"}
    return {
        "id": panel_id,
        "type": "timeseries",
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": {"h": 8, "w": panel.width, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": panel.unit, "custom": custom}, "overrides": []},
        "options": {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
        "targets": [
            {
                "datasource": DATASOURCE,
                "expr": query.expr,
                "legendFormat": query.legend,
                "range": True,
                "refId": chr(ord("A") + index),
            }
            for index, query in enumerate(panel.queries)
        ],
    }


def layout(rows: tuple[Row, ...]) -> list[dict[str, Any]]:
    """Rows one under another; panels left to right, wrapping at Grafana's 24 columns."""
    panels: list[dict[str, Any]] = []
    y, panel_id = 0, 1
    for row in rows:
        panels.append(
            {
                "id": panel_id,
                "type": "row",
                "title": row.title,
                "collapsed": False,
                "gridPos": {"h": 1, "w": 24, "x": 0, "y": y},
                "panels": [],
            }
        )
        panel_id, y, x = panel_id + 1, y + 1, 0
        for panel in row.panels:
            if x + panel.width > 24:
                x, y = 0, y + 8
            panels.append(timeseries(panel, x, y, panel_id))
            panel_id, x = panel_id + 1, x + panel.width
        y += 8
    return panels


def variables(instance_metric: str) -> dict[str, Any]:
    return {
        "list": [
            {
                "name": "datasource",
                "label": "Prometheus",
                "type": "datasource",
                "query": "prometheus",
                "current": {},
                "hide": 0,
            },
            {
                "name": "instance",
                "label": "Process",
                "type": "query",
                "datasource": DATASOURCE,
                "query": {
                    "query": f"label_values({instance_metric}, instance)",
                    "refId": "instance",
                },
                "definition": f"label_values({instance_metric}, instance)",
                "refresh": 2,
                "includeAll": True,
                "multi": True,
                "allValue": ".*",
                "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
                "sort": 1,
                "hide": 0,
            },
        ]
    }


def dashboard(
    uid: str, title: str, description: str, rows: tuple[Row, ...], instance_metric: str
) -> dict[str, Any]:
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["rapat"],
        "timezone": "browser",
        "editable": True,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "time": {"from": "now-6h", "to": "now"},
        "annotations": {"list": []},
        "links": [{"type": "dashboards", "tags": ["rapat"], "asDropdown": True, "title": "Rapat"}],
        "templating": variables(instance_metric),
        "panels": layout(rows),
    }


def meetings_row() -> Row:
    """Meetings, participants, sockets and joins, per process."""
    return Row(
        "Meetings",
        (
            Panel(
                "Meetings live",
                (q(by_instance("rapat_sfu_rooms")), q("sum(rapat_sfu_rooms)", "all")),
                description="Rooms with media on each process (a room's media is on one).",
                width=8,
            ),
            Panel(
                "Participants live",
                (q(by_instance("rapat_sfu_participants")),),
                description="Media sessions on each process.",
                width=8,
                stack=True,
            ),
            Panel(
                "WebSockets open",
                (
                    q(
                        f"sum by (instance, endpoint) (rapat_ws_connections{{{INSTANCE}}})",
                        "{{endpoint}} {{instance}}",
                    ),
                    q(by_instance("rapat_signaling_seats_in_grace"), "in grace {{instance}}"),
                ),
                description="Meeting (/ws) and user-channel (/ws/user) sockets; meeting "
                "seats waiting for a reconnect.",
                width=8,
            ),
            Panel(
                "Join time",
                tuple(
                    q(
                        quantile(p, "rapat_signaling_join_duration_seconds", "instance"),
                        f"p{round(p * 100)} {{{{instance}}}}",
                    )
                    for p in (0.5, 0.95, 0.99)
                ),
                unit="s",
                description="From a meeting socket's accept to its room_state.",
            ),
            Panel(
                "Joins by outcome",
                (
                    q(
                        rate("rapat_signaling_joins_total", by="instance, outcome"),
                        "{{outcome}} {{instance}}",
                    ),
                ),
                unit="ops",
                description="refused: the client's fault (token, rights, room); failed: ours.",
            ),
        ),
    )


def api_row() -> Row:
    """Requests, errors and latency by route."""
    http = "rapat_http_requests_total"
    errors = rate(http, 'status=~"5.."', by="route")
    return Row(
        "API",
        (
            Panel(
                "Requests by route",
                (q(rate(http, by="route"), "{{route}}"),),
                unit="reqps",
                stack=True,
            ),
            Panel(
                "Error rate (5xx) by route",
                (q(ratio(errors, rate(http, by="route")), "{{route}}"),),
                unit="percentunit",
            ),
            *(
                Panel(
                    f"Latency p{round(p * 100)} by route",
                    (
                        q(
                            quantile(p, "rapat_http_request_duration_seconds", "route"),
                            "{{route}}",
                        ),
                    ),
                    unit="s",
                    width=8,
                )
                for p in (0.5, 0.95, 0.99)
            ),
            Panel(
                "Requests in flight",
                (q(by_instance("rapat_http_requests_in_flight")),),
            ),
            Panel(
                "Responses by status",
                (q(rate(http, by="status"), "{{status}}"),),
                unit="reqps",
                stack=True,
            ),
        ),
    )


def processes_row() -> Row:
    """Whether each process is up, its dependencies, its resources."""
    return Row(
        "Processes and dependencies",
        (
            Panel(
                "Up",
                (q(f"up{{{INSTANCE}}}", "{{job}} {{instance}}"),),
                description="1 while Prometheus can scrape the process.",
                width=8,
            ),
            Panel(
                "Dependencies (readiness)",
                (q(f"rapat_dependency_up{{{INSTANCE}}}", "{{dependency}} {{instance}}"),),
                description="1 when the database, Redis, RabbitMQ… answered /readyz's check.",
                width=8,
            ),
            Panel(
                "Resident memory",
                (q(f"process_resident_memory_bytes{{{INSTANCE}}}"),),
                unit="bytes",
                width=8,
            ),
            Panel(
                "CPU",
                (q(rate("process_cpu_seconds_total")),),
                unit="percentunit",
            ),
            Panel(
                "Open files",
                (q(f"process_open_fds{{{INSTANCE}}}"),),
            ),
        ),
    )


def forwarding_row() -> Row:
    """What the SFU receives and forwards."""
    forwarded = rate("rapat_sfu_packets_forwarded_total")
    return Row(
        "Forwarding",
        (
            Panel(
                "Packets per second",
                (
                    q(forwarded, "forwarded {{instance}}"),
                    q(rate("rapat_sfu_packets_received_total"), "received {{instance}}"),
                ),
                unit="pps",
            ),
            Panel(
                "Bitrate forwarded",
                (q(f"8 * {rate('rapat_sfu_forwarded_bytes_total')}"),),
                unit="bps",
                description="RTP sent to subscribers, before SRTP.",
            ),
            Panel(
                "Tracks",
                (
                    q(by_instance("rapat_sfu_published_tracks"), "published {{instance}}"),
                    q(by_instance("rapat_sfu_subscriptions"), "forwarded {{instance}}"),
                ),
            ),
            Panel(
                "Rooms and participants",
                (
                    q(by_instance("rapat_sfu_rooms"), "rooms {{instance}}"),
                    q(by_instance("rapat_sfu_participants"), "participants {{instance}}"),
                ),
            ),
        ),
    )


def loss_row() -> Row:
    """Loss as subscribers report it, and its repair."""
    forwarded = rate("rapat_sfu_packets_forwarded_total")
    return Row(
        "Loss and repair",
        (
            Panel(
                "Loss reported by subscribers",
                (q(ratio(rate("rapat_sfu_nacked_packets_total"), forwarded)),),
                unit="percentunit",
                description="Packets subscribers NACKed per packet forwarded: downlink loss.",
                width=8,
            ),
            Panel(
                "NACKs and retransmissions",
                (
                    q(rate("rapat_sfu_nacked_packets_total"), "NACKed {{instance}}"),
                    q(rate("rapat_sfu_packets_retransmitted_total"), "resent {{instance}}"),
                ),
                unit="pps",
                description="Resent from the 512-packet cache; older ones are not resent.",
                width=8,
            ),
            Panel(
                "Keyframe requests (PLI/FIR)",
                (q(rate("rapat_sfu_keyframe_requests_total")),),
                unit="ops",
                description="From subscribers; a steady rise means decoders lose pictures.",
                width=8,
            ),
        ),
    )


def jobs_row() -> Row:
    """Job runs, failures, retries, dead letters."""
    finished = "rapat_jobs_finished_total"
    return Row(
        "Jobs",
        (
            Panel(
                "Job runs by task and outcome",
                (q(rate(finished, by="task, outcome"), "{{task}} {{outcome}}"),),
                unit="ops",
                stack=True,
            ),
            Panel(
                "Failed runs",
                (
                    q(
                        increase(finished, 'outcome="failed"'),
                        "{{task}}",
                    ),
                ),
                description="Each failed run is retried with a backoff until the last try.",
            ),
            Panel(
                "Retries queued",
                (
                    q(
                        increase("rapat_job_retries_total"),
                        "{{task}}",
                    ),
                ),
            ),
            Panel(
                "Dead letters",
                (q(increase("rapat_job_dead_letters_total"), "{{task}}"),),
                description="Jobs given up after their last try (RabbitMQ keeps them in "
                "<RAPAT_JOBS_QUEUE>.dead).",
            ),
        ),
    )


def recording_disk_row() -> Row:
    """Free space where recordings go."""
    return Row(
        "Recording storage",
        (
            Panel(
                "Free space where recordings go",
                (
                    q(
                        f"rapat_recording_disk_free_bytes{{{INSTANCE}}}",
                        "{{directory}} {{instance}}",
                    ),
                ),
                unit="bytes",
            ),
            Panel(
                "Used",
                (
                    q(
                        f"1 - rapat_recording_disk_free_bytes{{{INSTANCE}}}"
                        f" / rapat_recording_disk_size_bytes{{{INSTANCE}}}",
                        "{{directory}} {{instance}}",
                    ),
                ),
                unit="percentunit",
            ),
        ),
    )


def overview() -> dict[str, Any]:
    rows = (
        meetings_row(),
        api_row(),
        processes_row(),
    )
    return dashboard(
        "rapat-overview",
        "Rapat / Overview",
        "Meetings, joins, the API, processes and their dependencies.",
        rows,
        INSTANCES,
    )


def media() -> dict[str, Any]:
    rows = (
        forwarding_row(),
        loss_row(),
    )
    return dashboard(
        "rapat-media",
        "Rapat / Media (SFU)",
        "What each process's SFU forwards, and the loss its subscribers report.",
        rows,
        INSTANCES,
    )


def jobs_and_storage() -> dict[str, Any]:
    rows = (
        jobs_row(),
        recording_disk_row(),
    )
    return dashboard(
        "rapat-jobs-storage",
        "Rapat / Jobs and storage",
        "Background jobs (web nodes with the embedded broker, `rapat worker` with RabbitMQ) "
        "and the disks recordings are written to.",
        rows,
        INSTANCES,
    )


def build() -> dict[str, dict[str, Any]]:
    """File name → dashboard."""
    boards = (overview(), media(), jobs_and_storage())
    return {f"{board['uid']}.json": board for board in boards}


def render(board: dict[str, Any]) -> str:
    return json.dumps(board, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    check = parser.parse_args(argv).check
    stale = []
    for name, board in build().items():
        path, text = DASHBOARDS / name, render(board)
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        print(
            f"out of date: {', '.join(stale)}; run python deploy/grafana/build.py", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
