"""The Compose stack (deploy/compose/compose.yaml) up with podman-compose: the one-shot
migration, Rapat (two processes) and the worker from the image `scripts/build_image.sh`
builds, against PostgreSQL, Redis and RabbitMQ containers of the stack; then down. Ready
but for mail: the SMTP server is the operator's, outside the stack.

This machine reaches no image registry, so the file is the shipped one as podman-compose
resolves it with a filled-in .env, with only these changes: PostgreSQL, Redis and RabbitMQ
run from `localhost/rapat-services:bookworm` (their Debian packages,
`scripts/build_service_image.sh`) with the same settings the public images take; the
services whose images are public only (nginx, coturn, Prometheus, Alertmanager, Grafana,
Jaeger) are left out; the media range is not published on the host (other tests on this
machine use UDP ports there) and Rapat's shared port is published on 127.0.0.1 instead.
Podman 4.3 cannot do `depends_on` as written: podman-compose ignores `service_healthy`
with it (healthchecks run from systemd timers, and there is no systemd here), and the
`--requires` it adds fails to start a container whose dependency is already running. So
the test copy has no `depends_on`, and the test starts the services in the order the
shipped file's `depends_on` states (checked), running each healthcheck itself
(`podman healthcheck run`).

Slow (the images' builds, then about a minute up), so it runs in `make test-deploy`."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import yaml

from tests.deploy.containers import podman
from tests.deploy.test_compose_stack import COMPOSE, filled_env
from tests.deploy.test_wheel_install import REPO, fetch, run
from tests.integration.test_signaling_nodes import _free_port

pytestmark = pytest.mark.deploy

KEPT = ("migrate", "rapat", "worker", "postgres", "redis", "rabbitmq")
# The Debian packages' way to start what the public images start.
COMMANDS = {
    "postgres": ["start-postgres"],
    "redis": [
        "redis-server",
        *("--bind", "0.0.0.0", "--protected-mode", "no", "--save", "", "--appendonly", "no"),
    ],
    "rabbitmq": ["start-rabbitmq"],
}


# What the shipped file's depends_on says, which the test does by hand in this order.
HEALTHY, DONE = "service_healthy", "service_completed_successfully"
START_ORDER = {
    "migrate": {"postgres": HEALTHY},
    "rapat": {"migrate": DONE, "redis": HEALTHY, "rabbitmq": HEALTHY},
    "worker": {"migrate": DONE, "rabbitmq": HEALTHY},
}


@pytest.fixture(scope="module")
def services_image() -> str:
    return run(REPO / "scripts" / "build_service_image.sh").splitlines()[-1]


def local_stack(resolved: dict[str, Any], services_image: str, port: int) -> dict[str, Any]:
    """The resolved stack as this machine can run it (the module's docstring)."""
    stack = dict(resolved)
    services = {name: resolved["services"][name] for name in KEPT}
    for name, command in COMMANDS.items():
        services[name] = {**services[name], "image": services_image, "command": command}
    # Debian's pg_isready asks its default cluster's port, not the server's.
    services["postgres"]["environment"] = {**services["postgres"]["environment"], "PGPORT": "5432"}
    services["rapat"] = {**services["rapat"], "ports": [f"127.0.0.1:{port}:8080"]}
    services = {
        name: {k: v for k, v in s.items() if k != "depends_on"} for name, s in services.items()
    }
    stack["services"] = services
    used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    stack["volumes"] = {name: spec for name, spec in resolved["volumes"].items() if name in used}
    return stack


def compose(project: str, file: Path, *arguments: str) -> str:
    command = [sys.executable, "-m", "podman_compose", "-p", project, "-f", str(file)]
    return run(*command, *arguments, cwd=COMPOSE)


def healthy(container: str, timeout: float) -> None:
    """Runs the container's healthcheck until it passes (Podman records the status)."""
    deadline = time.monotonic() + timeout
    while True:
        state = podman("inspect", "--format", "{{.State.Status}}", container).strip()
        assert state == "running", (container, state, podman("logs", "--tail", "30", container))
        try:
            podman("healthcheck", "run", container)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


@pytest.fixture(scope="module")
def stack_up(
    rapat_image: str, services_image: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(project name, Rapat's address) while the stack runs; down and volumes gone after."""
    directory = tmp_path_factory.mktemp("compose-up")
    env = filled_env(directory)
    env.write_text(env.read_text() + f"RAPAT_IMAGE={rapat_image}\n")
    command = [sys.executable, "-m", "podman_compose", "-f", str(COMPOSE / "compose.yaml")]
    resolved = yaml.safe_load(run(*command, "--env-file", str(env), "config", cwd=COMPOSE))
    port = _free_port()
    file = directory / "compose.yaml"
    file.write_text(yaml.safe_dump(local_stack(resolved, services_image, port)))
    project = f"rapat-test-{uuid4().hex[:8]}"
    try:
        for service, needs in START_ORDER.items():
            depends = resolved["services"][service].get("depends_on", {})
            assert {name: c["condition"] for name, c in depends.items()} == needs, service
        compose(project, file, "up", "-d", "postgres", "redis", "rabbitmq")
        for name in ("postgres", "redis", "rabbitmq"):
            healthy(f"{project}_{name}_1", 120)
        compose(project, file, "up", "-d", "--no-deps", "migrate")
        migrated = podman("wait", f"{project}_migrate_1").strip()
        assert migrated == "0", podman("logs", f"{project}_migrate_1")
        compose(project, file, "up", "-d", "--no-deps", "rapat", "worker")
        yield project, f"127.0.0.1:{port}"
    finally:
        anonymous = project_volumes(project)  # the image's VOLUME, where none is mounted
        compose(project, file, "down", "--volumes")
        for volume in anonymous:
            podman("volume", "rm", "--force", volume)


def project_volumes(project: str) -> set[str]:
    """The volumes the project's containers use, by name."""
    label = f"label=io.podman.compose.project={project}"
    names = podman("ps", "--all", "--filter", label, "--format", "{{.Names}}").split()
    if not names:
        return set()
    template = "{{range .Mounts}}{{.Name}} {{end}}"
    return set(podman("inspect", "--format", template, *names).split())


def test_the_stack_comes_up_healthy_and_goes_down(stack_up: tuple[str, str]) -> None:
    project, server = stack_up
    healthy(f"{project}_rapat_1", 120)  # the image's own HEALTHCHECK
    # PostgreSQL migrated, Redis and RabbitMQ answering. Mail goes to the operator's SMTP
    # server (SMTP_URL), which is not part of the stack: the example's name resolves nowhere.
    _, _, body = fetch(server, "/readyz")
    checks = json.loads(body)["error"]["details"]["checks"]
    assert {name: checks[name] for name in ("database", "cache", "broker")} == dict.fromkeys(
        ("database", "cache", "broker"), "ok"
    ), checks
    assert set(checks) == {"database", "cache", "broker", "mail"}
    assert "mail.example.com" in checks["mail"]
    assert fetch(server, "/")[0] == 200
    # The worker is connected to RabbitMQ and serves its metrics.
    worker = f"{project}_worker_1"
    probe = "import urllib.request as u; print(u.urlopen('http://127.0.0.1:9100/metrics').status)"
    assert podman("exec", worker, "python3", "-c", probe).strip() == "200"
    queues = podman("exec", f"{project}_rabbitmq_1", "rabbitmqctl", "-q", "list_consumers")
    assert "rapat" in queues, queues
