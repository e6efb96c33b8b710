"""Private Redis and PostgreSQL servers for fault tests: a test may stop and start its own
server at will, without touching the shared ones other tests (and other people) use.

Each runs on a free loopback port, keeps nothing on disk that outlives the test, and is
stopped at the end even when the test fails.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

START_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _wait_for(condition: Callable[[], bool], what: str, process: subprocess.Popen[bytes]) -> None:
    """Poll until `condition` holds; fail at once if the server process died."""
    deadline = time.monotonic() + START_TIMEOUT
    while not condition():
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not start within {START_TIMEOUT:g} s")
        time.sleep(0.02)


class PrivateRedis:
    """`redis-server` on its own port, without persistence: a restart starts empty, as a
    Redis that lost its memory does."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self._workdir = workdir
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [
            "redis-server",
            *("--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(self._workdir)),
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._process = process
        _wait_for(lambda: _accepts(self.port), "redis-server", process)

    def stop(self) -> None:
        """SIGTERM, as `systemctl stop` does; returns once the process is gone."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)
        self._process = None


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
    return Path(found[-1]).parent


class PrivatePostgres:
    """A cluster of its own in a fresh temporary directory, trust auth on loopback only.
    As root, the server runs as the `postgres` user (it refuses to run as root), and the
    directory is outside pytest's (root-only) temporary tree so that user can reach it."""

    def __init__(self) -> None:
        self.port = free_port()
        self._bin = _postgres_bin()
        self._root = Path(tempfile.mkdtemp(prefix="rapat-pg-"))
        self._data = self._root / "data"
        self._log = self._root / "postgres.log"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self._root, "postgres")

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> None:
        self._run(
            [
                *(str(self._bin / "initdb"), "-D", str(self._data), "-U", "postgres"),
                *("--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"),
            ]
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        options += " -c fsync=off -c full_page_writes=off"
        self._run(
            [
                *(str(self._bin / "pg_ctl"), "-D", str(self._data), "-l", str(self._log)),
                *("-o", options, "-w", "-t", str(int(START_TIMEOUT)), "start"),
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session at once, as an operator's restart does."""
        if (self._data / "postmaster.pid").exists():
            self._run([str(self._bin / "pg_ctl"), "-D", str(self._data), "-m", mode, "-w", "stop"])

    def remove(self) -> None:
        """Stop (immediately) and delete the cluster."""
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.stop("immediate")
        shutil.rmtree(self._root, ignore_errors=True)

    def _run(self, command: Sequence[str]) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)
