"""Real Prometheus (Debian package `prometheus`) scraping a running Rapat on loopback:
every metric the dashboards use becomes a series, every dashboard query runs, and the
alert rules load and evaluate without error against the real metrics (decision 60).
About 10 s: Prometheus scrapes every second and needs three scrapes for the rates."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from rapat.app import create_app
from rapat.storage import migrate
from tests.deploy.observability import ALERTS, PROMETHEUS_OWN, dashboard_queries, metric_names
from tests.integration.app_fixtures import make_settings
from tests.private_services import free_port

pytestmark = pytest.mark.deploy

# The dashboards' Grafana variables, as Grafana would fill them in.
GRAFANA_VARIABLES = {"$instance": ".*", "$__rate_interval": "5s"}
TIMEOUT = 30.0


def eventually(check: Callable[[], Any], what: str, log: Path | None = None) -> Any:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    tail = log.read_text()[-2000:] if log is not None and log.exists() else ""
    raise AssertionError(f"{what} within {TIMEOUT:g} s\n{tail}")


class Http:
    """GET on one loopback server (the standard library: nothing more is needed)."""

    def __init__(self, base: str) -> None:
        self.base = base

    def get(self, path: str, **params: str) -> tuple[int, Any]:
        url = f"{self.base}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        return status, json.loads(body) if body[:1] in (b"{", b"[") else body

    def json(self, path: str, **params: str) -> Any:
        status, body = self.get(path, **params)
        assert status == 200, (path, params, body)
        return body


@pytest.fixture
def rapat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Rapat (SQLite, embedded services) served by uvicorn on a free loopback port."""
    for name in list(__import__("os").environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    url = f"sqlite+aiosqlite:///{tmp_path / 'rapat.db'}"
    migrate.upgrade(url)
    port = free_port()
    app = create_app(make_settings(tmp_path, url, data_dir=tmp_path / "data"))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="rapat-under-prometheus")
    thread.start()
    try:
        eventually(lambda: server.started, "Rapat did not start")
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture
def prometheus(tmp_path: Path, rapat: str) -> Iterator[Http]:
    """Prometheus scraping `rapat` every second, with Rapat's alert rules loaded."""
    binary = shutil.which("prometheus")
    assert binary, "prometheus is missing: apt-get install prometheus (make test-backend does)"
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        f"rule_files: ['{ALERTS}']\n"
        "scrape_configs:\n"
        f"  - {{job_name: rapat, static_configs: [{{targets: ['{rapat}']}}]}}\n"
    )
    port, log = free_port(), tmp_path / "prometheus.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={config}",
                f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    client = Http(f"http://127.0.0.1:{port}")
    try:

        def ready() -> bool:
            assert process.poll() is None, log.read_text()[-2000:]
            try:
                return client.get("/-/ready")[0] == 200
            except OSError:  # not listening yet
                return False

        eventually(ready, "Prometheus was not ready", log)
        yield client
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def query(prometheus: Http, expr: str) -> list[dict[str, Any]]:
    answer = prometheus.json("/api/v1/query", query=expr)
    assert answer["status"] == "success", (expr, answer)
    result: list[dict[str, Any]] = answer["data"]["result"]
    return result


def test_prometheus_scrapes_every_metric_the_dashboards_use(rapat: str, prometheus: Http) -> None:
    app = Http(f"http://{rapat}")  # some traffic: routes, a 404
    for path in ("/healthz", "/readyz", "/api/v1/server/features", "/api/v1/nothing"):
        app.get(path)

    def scraped_three_times() -> bool:
        found = query(prometheus, 'count_over_time(up{job="rapat"}[1m])')
        return bool(found) and float(found[0]["value"][1]) >= 3

    eventually(scraped_three_times, "three scrapes")
    assert query(prometheus, 'up{job="rapat"}')[0]["value"][1] == "1"
    names = set(prometheus.json("/api/v1/label/__name__/values")["data"])
    queries = dashboard_queries()
    used = set().union(*(metric_names(expr) for expr in queries))
    assert used - names == set()
    for name in sorted(used - PROMETHEUS_OWN):
        assert query(prometheus, f'{name}{{job="rapat"}}'), name
    for expr in queries:
        query(prometheus, re.sub(r"\$\w+", lambda m: GRAFANA_VARIABLES[m[0]], expr))
    assert query(prometheus, 'rapat_dependency_up{dependency="database"}')[0]["value"][1] == "1"

    def rules_evaluated() -> list[dict[str, Any]]:
        groups = prometheus.json("/api/v1/rules")["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        return rules if all(rule["lastEvaluation"][:4] != "0001" for rule in rules) else []

    rules = eventually(rules_evaluated, "every rule evaluated")
    assert {rule["name"]: rule["health"] for rule in rules} == {
        rule["name"]: "ok" for rule in rules
    }
    troubled = {rule["name"] for rule in rules if rule["state"] != "inactive"}
    assert not troubled & {"RapatProcessDown", "RapatDependencyDown", "RapatJoinsFailing"}
