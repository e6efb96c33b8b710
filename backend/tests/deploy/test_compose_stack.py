"""The Compose stack (deploy/compose), checked offline (test_compose_up.py brings it up,
in `make test-deploy`). The file is what podman-compose makes of it (anchors,
merges, `${VAR:?}` interpolation); Rapat's settings in it are real settings, which Rapat
accepts for production and `rapat check-config` finds no error in; its ports, addresses
and paths agree with the nginx site, the image and Prometheus' configuration."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from rapat.config import ENV_PREFIX, Settings
from rapat.config.check import check_settings
from tests.deploy.nginx_site import SITE, node_ports
from tests.deploy.observability import ALERTS

pytestmark = pytest.mark.deploy

COMPOSE = Path(__file__).resolve().parents[3] / "deploy" / "compose"
CONTAINERFILE = COMPOSE.parent / "container" / "Containerfile"
RAPAT_SERVICES = ("migrate", "rapat", "worker")


def filled_env(directory: Path) -> Path:
    """env.example with a value for every secret, as an operator's .env."""
    secret = "0123456789abcdef" * 4
    lines = [
        line + secret if line.endswith("=") else line
        for line in (COMPOSE / "env.example").read_text().splitlines()
    ]
    path = directory / ".env"
    path.write_text("\n".join(lines) + "\n")
    return path


def podman_compose(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "podman_compose", "-f", str(COMPOSE / "compose.yaml"), *arguments],
        cwd=COMPOSE,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The stack as podman-compose resolves it with a filled-in .env."""
    env = filled_env(tmp_path_factory.mktemp("compose"))
    resolved = podman_compose("--env-file", str(env), "config")
    assert resolved.returncode == 0, resolved.stderr
    loaded: dict[str, Any] = yaml.safe_load(resolved.stdout)
    return loaded


def test_a_missing_secret_stops_compose() -> None:
    resolved = podman_compose("--env-file", "/dev/null", "config")
    assert resolved.returncode != 0
    assert "set RAPAT_SECRET_KEY in .env" in resolved.stderr


def test_rapats_settings_are_real_and_pass_the_production_checks(
    stack: dict[str, Any], tmp_path: Path
) -> None:
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    for name, service in stack["services"].items():
        given = {key for key in service.get("environment", {}) if key.startswith(ENV_PREFIX)}
        assert given <= (known if name in RAPAT_SERVICES else set()), name
    environment = stack["services"]["rapat"]["environment"]
    values = {key[len(ENV_PREFIX) :].lower(): value for key, value in environment.items()}
    # this machine's stand-ins for the image's data directory and packaged web app
    values |= {"data_dir": str(tmp_path), "frontend_dir": str(tmp_path)}
    (tmp_path / "index.html").write_text("<!doctype html>")
    settings = Settings(_env_file=None, **values)
    assert settings.env == "production"
    findings = check_settings(settings)
    assert [str(f) for f in findings] == []


def test_ports_and_addresses_agree_with_nginx_the_image_and_prometheus(
    stack: dict[str, Any],
) -> None:
    services = stack["services"]
    settings = services["rapat"]["environment"]
    processes = int(settings["RAPAT_PROCESSES"])
    port = int(settings["RAPAT_PORT"])
    # nginx routes a path to each process, the one the node URL names.
    assert node_ports(SITE.read_text()) == {i: port + i for i in range(1, processes + 1)}
    assert settings["RAPAT_NODE_URL"] == "wss://meet.example.com/node/{index}/ws"
    assert "../nginx/rapat.conf:/etc/rapat/rapat.conf:ro" in services["nginx"]["volumes"]
    # Rapat believes only nginx's forwarded headers.
    edge = services["nginx"]["networks"]["edge"]["ipv4_address"]
    assert settings["RAPAT_TRUSTED_PROXIES"] == edge
    # The media range is published as it is configured, and as the image exposes it.
    low, high = settings["RAPAT_SFU_PORT_MIN"], settings["RAPAT_SFU_PORT_MAX"]
    assert services["rapat"]["ports"] == [f"{low}-{high}:{low}-{high}/udp"]
    containerfile = CONTAINERFILE.read_text()
    assert f"EXPOSE {port}/tcp {low}-{high}/udp" in containerfile
    assert f"RAPAT_SFU_PORT_MIN={low}" in containerfile
    # Prometheus scrapes each process on its own port, and the worker's metrics port.
    prometheus = yaml.safe_load((COMPOSE / "prometheus.yml").read_text())
    targets = {
        job["job_name"]: job["static_configs"][0]["targets"] for job in prometheus["scrape_configs"]
    }
    assert targets["rapat"] == [f"rapat:{port + i}" for i in range(1, processes + 1)]
    worker_port = services["worker"]["environment"]["RAPAT_WORKER_METRICS_PORT"]
    assert targets["rapat-worker"] == [f"worker:{worker_port}"]
    # Alerts go to the stack's Alertmanager; traces to Jaeger's OTLP/HTTP port.
    (managers,) = prometheus["alerting"]["alertmanagers"]
    assert managers["static_configs"][0]["targets"] == ["alertmanager:9093"]
    assert settings["RAPAT_OTEL_ENDPOINT"] == "http://jaeger:4318"
    assert services["jaeger"]["environment"]["COLLECTOR_OTLP_ENABLED"] == "true"
    # The consoles are on the host's loopback only.
    for name in ("alertmanager", "jaeger", "grafana"):
        assert all(p.startswith("127.0.0.1:") for p in services[name]["ports"]), name


def test_alertmanager_configuration_is_valid() -> None:
    amtool = shutil.which("amtool")
    assert amtool, "amtool is missing: apt-get install prometheus-alertmanager (make does)"
    checked = subprocess.run(
        [amtool, "check-config", "alertmanager.yml"],
        cwd=COMPOSE,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # Every receiver it routes to exists, and the inhibition names a real alert.
    config = yaml.safe_load((COMPOSE / "alertmanager.yml").read_text())
    alerts = {
        rule["alert"]
        for group in yaml.safe_load(ALERTS.read_text())["groups"]
        for rule in group["rules"]
    }
    for rule in config["inhibit_rules"]:
        for matcher in rule["source_matchers"]:
            assert matcher.removeprefix("alertname=").strip('"') in alerts, matcher


def test_prometheus_configuration_is_valid(tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    assert promtool, "promtool is missing: apt-get install prometheus (make test-backend does)"
    shutil.copy(COMPOSE / "prometheus.yml", tmp_path)
    shutil.copy(ALERTS, tmp_path)  # mounted beside it in the stack
    checked = subprocess.run(
        [promtool, "check", "config", "prometheus.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_mounted_file_exists(stack: dict[str, Any]) -> None:
    for name, service in stack["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                if source == "./certs":  # the operator's certificates
                    continue
                assert (COMPOSE / source).exists(), (name, source)
    assert re.search(
        r"^rule_files:\n  - alerts.yml$", (COMPOSE / "prometheus.yml").read_text(), re.M
    )
