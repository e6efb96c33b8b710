"""What the operators' dashboards and alerts query (deploy/grafana, deploy/prometheus), and
a scrape of a running Rapat to check it against (decision 60)."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.accounts_helpers import sign_up
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_signaling import until, ws_url

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
DASHBOARDS = DEPLOY / "grafana" / "dashboards"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
# Series Prometheus makes itself, and the blackbox exporter's (certificate expiry).
PROMETHEUS_OWN = frozenset({"up"})
BLACKBOX = frozenset({"probe_ssl_earliest_cert_expiry"})

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN"})


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects: label matchers, ranges, strings and
    grouping labels taken out, then every name that is not a function, a keyword or part
    of a number."""
    text = _GROUPING.sub(" ", _RANGE.sub(" ", _MATCHERS.sub(" ", _STRING.sub(" ", expr))))
    names = set()
    for match in _NAME.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end() :].lstrip()[:1]
        if before.isalnum() or before == "." or after == "(" or match[0] in _KEYWORDS:
            continue
        names.add(match[0])
    return names


def load_generator() -> ModuleType:
    """deploy/grafana/build.py, which writes the dashboards."""
    spec = importlib.util.spec_from_file_location("grafana_build", DEPLOY / "grafana" / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (its dataclasses look their module up there)
    spec.loader.exec_module(module)
    return module


def dashboards() -> dict[str, dict[str, Any]]:
    return {path.name: json.loads(path.read_text()) for path in sorted(DASHBOARDS.glob("*.json"))}


def dashboard_queries() -> list[str]:
    """Every panel's query, and each variable's metric as a query of its own."""
    queries = []
    for board in dashboards().values():
        for panel in board["panels"]:
            queries += [target["expr"] for target in panel.get("targets", [])]
        for variable in board["templating"]["list"]:
            if variable["type"] == "query":
                found = re.fullmatch(r"label_values\((\w+), *\w+\)", variable["definition"])
                assert found, variable["definition"]
                queries.append(found[1])
    return queries


def alert_expressions() -> dict[str, str]:
    rules = yaml.safe_load(ALERTS.read_text())
    return {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}


def exercised_scrape(client: TestClient) -> set[str]:
    """The sample names of /metrics after what an hour of use would do: sign-ups (a mail
    job), a room joined over REST and over a meeting socket, a 404."""
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    room = create_room(client, host)
    for person in (host, guest):
        assert join(client, person, room).status_code == 200
    with client.websocket_connect(ws_url(room, host)) as ws:
        until(ws, "room_state")
    assert client.get("/api/v1/no-such-thing").status_code == 404
    text = client.get("/metrics").text
    return {
        sample.name for family in text_string_to_metric_families(text) for sample in family.samples
    }
