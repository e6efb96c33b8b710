"""`rapat serve --processes 2` as an operator runs it: one supervisor, two server
processes on SQLite and Redis. Both serve the shared port and each its own, which the API
gives out for signaling; one killed is started again; SIGTERM stops them all. Which
process took a connection is read from /proc (the socket's inode), not from an endpoint
of the app."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import redis

from rapat.storage import migrate
from tests.conftest import REDIS_URL
from tests.integration.test_signaling_nodes import PASSWORD, RAPAT
from tests.integration.test_signaling_nodes import _call as call
from tests.private_services import free_port
from tests.waiting import wait_until_sync

pytestmark = [pytest.mark.redis]

MEDIA = (41000, 41009)


def _three_free_ports() -> int:
    """A port whose next two are free too (the processes' own)."""
    for _ in range(50):
        port = free_port()
        try:
            with contextlib.ExitStack() as stack:
                for own in (port + 1, port + 2):
                    stack.enter_context(socket.create_server(("127.0.0.1", own)))
        except OSError:
            continue
        return port
    raise RuntimeError("no three consecutive free ports")


def _call(port: int, path: str, body: Any = None, token: str | None = None) -> Any:
    return call(f"127.0.0.1:{port}", path, body, token)


def _healthy(port: int) -> bool:
    try:
        return bool(_call(port, "/healthz")["status"] == "ok")
    except (OSError, urllib.error.URLError):
        return False


def _children(supervisor: int) -> dict[int, int]:
    """The supervisor's server processes, as index -> pid (from their command lines)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile
        if int(stat.rpartition(")")[2].split()[1]) == supervisor and b"--index" in argv:
            found[int(argv[argv.index(b"--index") + 1])] = int(entry.name)
    return found


def _environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def _owner(children: dict[int, int], connection: http.client.HTTPConnection, port: int) -> int:
    """The index of the process holding the server side of `connection`."""
    assert connection.sock is not None
    client_port = connection.sock.getsockname()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
        if (local, remote) == (port, client_port):
            inode = f"socket:[{fields[9]}]"
    for index, pid in children.items():
        fds = Path(f"/proc/{pid}/fd")
        if any(os.readlink(fd) == inode for fd in fds.iterdir()):
            return index
    raise AssertionError(f"no process holds the connection from port {client_port}")


@pytest.fixture
def redis_prefix_cleaned(redis_prefix: str) -> Iterator[str]:
    yield redis_prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{redis_prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@contextlib.contextmanager
def serving_processes(
    sqlite_url: str, redis_prefix: str, data: Path, extra: dict[str, str] | None = None
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`rapat serve --processes 2` on a migrated SQLite database and a Redis key space
    (with `extra` settings): the shared port and the supervisor, once all three ports
    answer; killed after. Its output goes to `data`/serve.log."""
    migrate.upgrade(sqlite_url)
    env = {key: value for key, value in os.environ.items() if not key.startswith("RAPAT_")}
    env |= {
        "RAPAT_ENV": "test",  # no secret set: the supervisor gives the processes one
        "RAPAT_DATABASE_URL": sqlite_url,
        "RAPAT_REDIS_URL": REDIS_URL,
        "RAPAT_CACHE_KEY_PREFIX": redis_prefix,
        "RAPAT_BCRYPT_ROUNDS": "4",
        "RAPAT_DATA_DIR": str(data),
        "RAPAT_LOG_LEVEL": "WARNING",
        "RAPAT_RECORDING_ENABLED": "false",
        "RAPAT_SFU_PORT_MIN": str(MEDIA[0]),
        "RAPAT_SFU_PORT_MAX": str(MEDIA[1]),
    } | (extra or {})
    port = _three_free_ports()
    data.mkdir(parents=True, exist_ok=True)
    log = (data / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(RAPAT), "serve", "--processes", "2", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for each in (port, port + 1, port + 2):
            wait_until_sync(lambda each=each: _healthy(each), 20, f"port {each} to answer")
        yield port, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def served(
    sqlite_url: str, redis_prefix_cleaned: str, tmp_path: Path
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """The shared port and the supervisor, once all three ports answer."""
    with serving_processes(sqlite_url, redis_prefix_cleaned, tmp_path / "data") as served:
        yield served


def test_two_processes_serve_restart_and_stop(
    served: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, supervisor = served
    children = _children(supervisor.pid)
    assert sorted(children) == [1, 2]
    for index, pid in children.items():
        env = _environment(pid)
        assert env["RAPAT_NODE_URL"] == f"ws://127.0.0.1:{port + index}/ws"
        assert env["RAPAT_PROCESSES"] == "1"
        first = MEDIA[0] + (index - 1) * 5
        assert (env["RAPAT_SFU_PORT_MIN"], env["RAPAT_SFU_PORT_MAX"]) == (
            str(first),
            str(first + 4),
        )

    # The kernel hands connections to the shared port to either process.
    seen: set[int] = set()
    for _ in range(100):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/healthz")
        assert connection.getresponse().read()
        seen.add(_owner(children, connection, port))
        connection.close()
        if seen == {1, 2}:  # after 2-7 connections in trials
            break
    assert seen == {1, 2}

    # One secret for both: a token from process 1 is good at process 2.
    email = f"ana-{uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "first_name": "Ana", "last_name": "Lim"}
    _call(port + 1, "/api/v1/auth/register", body)
    token = _call(port + 1, "/api/v1/auth/login", {"email": email, "password": PASSWORD})
    profile = _call(port + 2, "/api/v1/users/profile", token=token["access_token"])
    assert profile["email"] == email
    # Asked on the shared port, the API names one of the processes' own URLs (decision 61).
    room = _call(port, "/api/v1/rooms", {"name": "Two cores"}, token["access_token"])
    where = _call(port, f"/api/v1/rooms/{room['id']}/signaling", token=token["access_token"])
    assert where["url"] in {f"ws://127.0.0.1:{port + index}/ws" for index in (1, 2)}

    os.kill(children[1], signal.SIGKILL)
    restarted = wait_until_sync(
        lambda: (pid := _children(supervisor.pid).get(1)) != children[1] and pid,
        10,
        "process 1 to be started again",
    )
    wait_until_sync(lambda: _healthy(port + 1), 20, "process 1's port to answer again")

    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=15) == 0
    for pid in (restarted, children[2]):
        assert not Path(f"/proc/{pid}").exists()
