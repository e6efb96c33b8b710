"""The container image (deploy/container/Containerfile) as `scripts/build_image.sh` builds
it with Podman, run as an operator would: migrated on a fresh volume, served on a published
port, healthy by its own HEALTHCHECK, as a user other than root, with ffmpeg and without
pip or a compiler, and giving two aiortc participants on this machine a meeting (their ICE
reaches the container's address on Podman's bridge). Stopped by SIGTERM, it exits 0.

Slow (about 2.5 minutes to build, 2 more the first time for the base image from Debian
packages), so it runs in `make test-deploy`, not `make test`. RAPAT_TEST_IMAGE names an
image already built, to skip the build."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from uuid import uuid4

import pytest

from tests.deploy.test_wheel_install import ASSET, REPO, fetch, run, started, two_participants_meet
from tests.integration.test_signaling_nodes import _free_port

pytestmark = pytest.mark.deploy

UID = "10001"


def podman(*arguments: str) -> str:
    tool = shutil.which("podman")
    assert tool, "podman is missing: apt-get install podman runc mmdebstrap (make does)"
    return run(tool, *arguments)


@pytest.fixture(scope="module")
def image() -> str:
    given = os.environ.get("RAPAT_TEST_IMAGE")
    if given:
        return given
    started_at = time.monotonic()
    built = run(REPO / "scripts" / "build_image.sh", f"localhost/rapat-test:{uuid4().hex[:8]}")
    name = built.splitlines()[-1]
    print(f"image {name} built in {time.monotonic() - started_at:.0f} s")
    return name


@pytest.fixture(scope="module")
def container(image: str) -> Iterator[tuple[str, str]]:
    """The image migrated and served on a new volume: (container name, host:port)."""
    name = f"rapat-test-{uuid4().hex[:8]}"
    podman("volume", "create", name)
    mount = f"{name}:/var/lib/rapat"
    try:
        podman("run", "--rm", "-v", mount, image, "migrate", "upgrade")
        port = _free_port()
        podman("run", "-d", "--name", name, "-v", mount, "-p", f"127.0.0.1:{port}:8080", image)
        yield name, f"127.0.0.1:{port}"
    finally:
        podman("rm", "--force", name)
        podman("volume", "rm", "--force", name)
        if not os.environ.get("RAPAT_TEST_IMAGE"):  # built here: removed here
            podman("rmi", image)


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
