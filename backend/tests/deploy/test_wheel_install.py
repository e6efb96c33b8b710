"""The pip install path: the wheel `scripts/build_wheel.sh` builds, installed with its
dependencies into a fresh virtualenv and run outside the checkout, migrates its SQLite
database, serves the web app it carries and gives aiortc participants a meeting.

Speed: pip resolving ~90 dependencies against the configured index takes ~50 s, so they
are downloaded once into a wheelhouse (`build/wheelhouse`, or RAPAT_TEST_WHEELHOUSE) and
later installs resolve from it alone (`--no-index`); when the wheel's dependencies change,
the offline install fails and the wheelhouse is filled again. Every dependency is still
installed from a wheel file by pip, from the wheel's own metadata."""

from __future__ import annotations

import asyncio
import gc
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.media_clients import MediaClient, NetworkSocket, eventually
from tests.integration.test_signaling_nodes import _free_port, _request, _sign_up
from tests.waiting import wait_until

pytestmark = pytest.mark.deploy

REPO = Path(__file__).resolve().parents[3]
WHEELHOUSE = Path(os.environ.get("RAPAT_TEST_WHEELHOUSE", REPO / "build" / "wheelhouse"))
ASSET = re.compile(r'(?:src|href)="(/assets/[^"]+)"')


def run(*command: str | Path, **options: Any) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        **options,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ directory of a fresh virtualenv with the wheel installed."""
    started = time.monotonic()
    out = tmp_path_factory.mktemp("wheel")
    build = REPO / "scripts" / "build_wheel.sh"
    built = run(build, out, env={**os.environ, "PYTHON": sys.executable})
    wheel = Path(built.splitlines()[-1])
    wheel_seconds = time.monotonic() - started
    venv = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    pip = [sys.executable, "-m", "pip", "--python", venv / "bin" / "python"]
    install = [*pip, "install", "--quiet", "--no-compile", "--no-index", "--find-links", WHEELHOUSE]
    offline = subprocess.run([*map(str, install), str(wheel)], check=False, capture_output=True)
    if offline.returncode:
        # First run here, or the dependencies changed: fetch them from the index once.
        run(*pip, "download", "--quiet", "--dest", WHEELHOUSE, wheel)
        for stale in WHEELHOUSE.glob("rapat-*.whl"):
            stale.unlink()
        run(*install, wheel)
    print(
        f"wheel built in {wheel_seconds:.1f} s, virtualenv with it and its dependencies "
        f"in {time.monotonic() - started - wheel_seconds:.1f} s"
    )
    return venv / "bin"


def outside_the_checkout(directory: Path) -> dict[str, str]:
    """An environment that cannot reach the checkout's code or settings (run it in a
    directory without a .env)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAPAT_", "PYTHON"))}
    # Everything the test starts listens on loopback, media too.
    return env | {"RAPAT_SFU_BIND_ADDRESSES": "127.0.0.1", "HOME": str(directory)}


@pytest.fixture(scope="module")
def server(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`rapat migrate upgrade` then `rapat serve` with the defaults (SQLite in ./data),
    from an empty directory: host:port."""
    directory = tmp_path_factory.mktemp("site")
    env = outside_the_checkout(directory)
    run(installed / "rapat", "migrate", "upgrade", cwd=directory, env=env)
    port = _free_port()
    with (directory / "server.log").open("w") as log:
        process = subprocess.Popen(
            [installed / "rapat", "serve", "--port", str(port)],
            cwd=directory,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def fetch(base: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names in lower case) and body of a GET."""
    try:
        with urllib.request.urlopen(f"http://{base}{path}", timeout=10) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, {name.lower(): value for name, value in headers.items()}, body


async def started(base: str) -> None:
    async def healthy() -> bool:
        try:
            status, _, _ = await asyncio.to_thread(fetch, base, "/healthz")
        except OSError:
            return False
        return status == 200

    # Without precompiled bytecode the first start compiles every module it imports.
    await wait_until(healthy, 60, f"the installed server at {base}", interval=0.1)


async def test_the_installed_server_serves_the_web_app_it_carries(
    installed: Path, server: str
) -> None:
    await started(server)
    status, _, body = fetch(server, "/readyz")
    assert status == 200, body  # database migrated and reachable
    status, headers, index = fetch(server, "/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    site_packages = next((installed.parent / "lib").glob("python3*/site-packages"))
    assert index == (site_packages / "rapat" / "web" / "index.html").read_bytes()
    assets = ASSET.findall(index.decode())
    assert assets, "index.html names no asset"
    status, headers, script = fetch(server, assets[0])
    assert status == 200
    assert len(script) > 0
    assert "immutable" in headers["cache-control"]
    status, _, _ = fetch(server, "/r/abc-defg-hij")  # a client route: the app's index
    assert status == 200
    env = outside_the_checkout(installed)
    report = run(installed / "rapat", "check-config", cwd=installed, env=env)
    packaged = site_packages / "rapat" / "web"
    assert f"RAPAT_FRONTEND_DIR={packaged}  # the web app in the package" in report


async def test_aiortc_participants_meet_on_the_installed_server(server: str) -> None:
    await started(server)
    await two_participants_meet(server)


async def two_participants_meet(server: str) -> None:
    """Two aiortc participants in a new room on `server` (host:port): one publishes, the
    other decodes a frame of it."""
    host, guest = await _sign_up(server, "Host"), await _sign_up(server, "Guest")
    room = await _request(server, "/api/v1/rooms", {"name": "Installed"}, host["access_token"])
    for who in (host, guest):
        await _request(server, f"/api/v1/rooms/{room['id']}/join", {}, who["access_token"])

    async def connect(who: dict[str, Any]) -> MediaClient:
        url = (
            f"ws://{server}/ws?roomId={room['id']}&userId={who['user']['id']}"
            f"&token={who['access_token']}"
        )
        client = MediaClient(await asyncio.to_thread(NetworkSocket, url))
        client.start()
        client.send("join_room", {"media": True})
        return client

    alice, bob = await connect(host), await connect(guest)
    try:
        alice.add_tracks()
        await alice.publish()
        camera = f"camera:{host['user']['id']}"
        await eventually(lambda: camera in bob.tracks, what="bob receives alice's camera")
        frame = await asyncio.wait_for(bob.tracks[camera].recv(), 10)
        assert (frame.width, frame.height) == (640, 480)  # decoded by the subscriber
    finally:
        for client in (alice, bob):
            await client.close()
        # aiortc objects reach the collector only now (see sfu_fixtures.meeting).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
