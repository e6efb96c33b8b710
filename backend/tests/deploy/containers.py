"""Podman for the deployment tests: the command, and Rapat's image built once per test run
(`scripts/build_image.sh`, about 2.5 minutes, 2 more the first time for the base image
from Debian packages) for every test that runs it. RAPAT_TEST_IMAGE names an image already
built, to skip the build (and keep the image afterwards)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from uuid import uuid4

import pytest

from tests.deploy.test_wheel_install import REPO, run


def podman(*arguments: str) -> str:
    tool = shutil.which("podman")
    assert tool, "podman is missing: apt-get install podman runc mmdebstrap (make does)"
    return run(tool, *arguments)


@pytest.fixture(scope="session")
def rapat_image() -> Iterator[str]:
    given = os.environ.get("RAPAT_TEST_IMAGE")
    if given:
        yield given
        return
    started_at = time.monotonic()
    built = run(REPO / "scripts" / "build_image.sh", f"localhost/rapat-test:{uuid4().hex[:8]}")
    name = built.splitlines()[-1]
    print(f"image {name} built in {time.monotonic() - started_at:.0f} s")
    yield name
    podman("rmi", "--force", name)  # built here: removed here
