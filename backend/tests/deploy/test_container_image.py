"""The container image (deploy/container/Containerfile) as `scripts/build_image.sh` builds
it with Podman, run as an operator would: migrated on a fresh volume, served on a published
port, healthy by its own HEALTHCHECK, as a user other than root, with ffmpeg and without
pip or a compiler, and giving two aiortc participants on this machine a meeting (their ICE
reaches the container's address on Podman's bridge). Stopped by SIGTERM, it exits 0.

Slow (the image's build, tests/deploy/containers.py), so it runs in `make test-deploy`,
not `make test`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from uuid import uuid4

import pytest

from tests.deploy.containers import podman
from tests.deploy.test_wheel_install import ASSET, fetch, started, two_participants_meet
from tests.integration.test_signaling_nodes import _free_port

pytestmark = pytest.mark.deploy

UID = "10001"


@pytest.fixture(scope="module")
def container(rapat_image: str) -> Iterator[tuple[str, str]]:
    """The image migrated and served on a new volume: (container name, host:port)."""
    name = f"rapat-test-{uuid4().hex[:8]}"
    podman("volume", "create", name)
    mount = f"{name}:/var/lib/rapat"
    try:
        podman("run", "--rm", "-v", mount, rapat_image, "migrate", "upgrade")
        port = _free_port()
        podman(
            "run", "-d", "--name", name, "-v", mount, "-p", f"127.0.0.1:{port}:8080", rapat_image
        )
        yield name, f"127.0.0.1:{port}"
    finally:
        podman("rm", "--force", name)
        podman("volume", "rm", "--force", name)


async def test_the_image_serves_healthy_as_its_own_user(container: tuple[str, str]) -> None:
    name, server = container
    await started(server)
    status, _, body = fetch(server, "/readyz")
    assert status == 200, body
    status, _, index = fetch(server, "/")
    assert status == 200
    asset = ASSET.findall(index.decode())[0]
    assert fetch(server, asset)[0] == 200
    podman("healthcheck", "run", name)  # the image's HEALTHCHECK, exit 0: healthy
    assert podman("exec", name, "id", "-u").strip() == UID
    assert "ffmpeg version" in podman("exec", name, "ffmpeg", "-version")
    found = podman("exec", name, "sh", "-c", "command -v pip pip3 gcc cc || true")
    assert found.strip() == ""


async def test_aiortc_participants_meet_in_the_container(container: tuple[str, str]) -> None:
    _, server = container
    await started(server)
    await two_participants_meet(server)


def test_sigterm_stops_the_container_cleanly(container: tuple[str, str]) -> None:
    name, _ = container
    podman("stop", "--time", "20", name)
    state = json.loads(podman("inspect", name))[0]["State"]
    assert state["ExitCode"] == 0, state
