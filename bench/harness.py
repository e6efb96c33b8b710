"""What the benchmarks share: a Rapat server to measure (environment, start, stop, its
log, users signed up through its API), CPU time from /proc, the CPU split between load
generator and servers, percentiles, and writing a section of docs/benchmarks.md."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
REPORT = ROOT / "docs" / "benchmarks.md"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Load benchmarks sign many users up and in: no rate limits, cheap password hashes.
LOAD_SETTINGS = {"RAPAT_RATE_LIMITS_ENABLED": "false", "RAPAT_BCRYPT_ROUNDS": "4"}
# The SFU benchmarks' clients are on loopback only.
SFU_ON_LOOPBACK = {"RAPAT_SFU_BIND_ADDRESSES": "127.0.0.1"}


# --- the server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not come up")


def migrated_environment(
    workdir: str, settings: Mapping[str, str] = LOAD_SETTINGS
) -> dict[str, str]:
    """The environment of `rapat serve` on a fresh SQLite database in `workdir` (or what
    `settings` says instead), with the database's schema migrated."""
    env = {
        **os.environ,
        "RAPAT_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/bench.db",
        "RAPAT_LOG_LEVEL": "WARNING",
        **settings,
    }
    subprocess.run(
        [BIN / "rapat", "migrate", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return env


def stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    """Terminate `process`, killing it when it has not ended within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def serving(
    command: Sequence[str],
    env: Mapping[str, str],
    port: int,
    log: Path | None,
    *,
    up_timeout: float = 20.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """An HTTP server started with `command`, once it answers `/healthz` on `port` (within
    `up_timeout` seconds); its output goes to `log` (nowhere when None). Stopped when the
    block ends."""
    with contextlib.ExitStack() as files:
        sink = files.enter_context(log.open("wb")) if log else subprocess.DEVNULL
        server = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_until_up(port, up_timeout)
        yield server
    finally:
        stop(server, timeout=20)


def rapat_server(
    env: Mapping[str, str], port: int, log: Path | None, *, up_timeout: float = 20.0
) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    """`rapat serve` on `port`, as `serving` runs it."""
    command = [str(BIN / "rapat"), "serve", "--port", str(port)]
    return serving(command, env, port, log, up_timeout=up_timeout)


@dataclass(frozen=True)
class Seat:
    """A user with an access token, in a room they joined through the REST API."""

    user_id: str
    token: str
    room_id: str


PASSWORD = "bench-signal-2718"  # of throwaway users on a throwaway database
SETUP_ATTEMPTS = 6


@dataclass
class Rest:
    """The setup's HTTP client. A 5xx is retried (with backoff) and counted, so a server
    that fails under the setup's concurrency is reported rather than ending the run."""

    client: httpx.AsyncClient
    retried: Counter[str] = field(default_factory=Counter)

    async def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        accept: tuple[int, ...] = (),
        **body: Any,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for attempt in range(SETUP_ATTEMPTS):
            response = await self.client.request(method, path, json=body, headers=headers)
            status = response.status_code
            if status < 300 or status in accept:
                return response.json() if status < 300 and response.content else {}
            if status < 500 or attempt == SETUP_ATTEMPTS - 1:
                break
            self.retried[f"{method} {re.sub(r'/[0-9a-f-]{36}', '/{id}', path)} {status}"] += 1
            await asyncio.sleep(0.1 * 2**attempt)
        raise RuntimeError(f"{method} {path}: {status} {response.text[:200]}")


async def sign_up(rest: Rest, name: str, last_name: str) -> tuple[str, str]:
    """Register `name`@bench.example and log in: the user's id and access token."""
    email = f"{name}@bench.example"
    user = {"email": email, "first_name": "Bench", "last_name": last_name}
    # 409: a retried sign-up whose first attempt was stored after all.
    await rest.call("POST", "/api/v1/auth/register", accept=(409,), password=PASSWORD, **user)
    tokens = await rest.call("POST", "/api/v1/auth/login", email=email, password=PASSWORD)
    return tokens["user"]["id"], tokens["access_token"]


def server_log_summary(log: Path) -> Counter[str]:
    """Warnings and errors the server logged, by level and event; the first record of
    each kind is printed whole (with its traceback) for the reader."""
    seen: Counter[str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = {"level": "?", "event": f"(unparsed) {line[:80]}"}
        kind = " ".join(f"{record.get('level', '?')} {record.get('event', '?')}".split())
        if kind not in seen:
            print(f"server log, first {kind}: {line[:400]} … {line[-1600:]}")
        seen[kind] += 1
    return seen


def stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so the server and the temporary data are cleaned up."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


# --- CPU time and CPUs ----------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    cpu_seconds: float
    rss_bytes: int


def usage_of(pid: int) -> Usage:
    """CPU time (user + system) and resident memory of a process, from /proc."""
    # The command name may contain spaces; the fields after its closing parenthesis don't.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return Usage(cpu, int(line.split()[1]) * 1024)
    raise RuntimeError(f"no VmRSS for process {pid}")


def machine_cpu_seconds() -> float:
    """CPU time spent by every process on the machine since boot (all cores), from
    /proc/stat: shows whether something else competed for the cores during a run."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def machine_load(machine_cpu: float, accounted: float, wall: float) -> str:
    """The whole machine's CPU over `wall` seconds, and what processes other than the
    `accounted` ones (the server and the load generator) spent of it."""
    others = max(0.0, machine_cpu - accounted)
    return (
        f"{machine_cpu:.1f} s ({machine_cpu / wall:.0%} of a core, "
        f"{os.cpu_count()} cores); other processes {others:.1f} s"
    )


def split_cpus() -> tuple[set[int], set[int]]:
    """This process's CPUs as (the load generator's, the servers'): the first, the rest."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        raise SystemExit("separate CPUs need at least two")
    return {cpus[0]}, set(cpus[1:])


@contextlib.contextmanager
def affinity(cpus: set[int] | None) -> Iterator[None]:
    """This process on `cpus` for the block (processes started in it keep them)."""
    if cpus is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


# --- figures --------------------------------------------------------------------------


def percentiles_ms(seconds: Sequence[float], minimum: int = 100) -> tuple[float, float, float]:
    """p50, p95 and p99 in milliseconds (NaN with fewer than `minimum` samples)."""
    if len(seconds) < max(minimum, 2):
        return (float("nan"),) * 3
    cuts = statistics.quantiles(seconds, n=100)
    return (cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000)


def int_list(text: str) -> list[int]:
    """'4,8,16' -> [4, 8, 16] (the benchmarks' sizes)."""
    return [int(item) for item in text.split(",")]


def counted(counter: Counter[str]) -> str:
    return ", ".join(f"{name} × {n}" for name, n in counter.most_common()) or "none"


# --- docs/benchmarks.md ---------------------------------------------------------------

HEADER = (
    "# Benchmarks\n\n"
    "Figures written by the scripts in `bench/` (each replaces its own section).\n"
    "Run one with `.venv/bin/python bench/<script>.py`.\n"
)


def machine() -> str:
    return f"{platform.machine()}, Python {platform.python_version()}, {platform.system()}"


def write_section(name: str, body: str) -> None:
    """Replace the section `name` of docs/benchmarks.md with `body` (or append it)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"<!-- bench:{name} -->\n## {name}\n\n_Run {stamp} on {machine()}._\n\n"
        f"{body.strip()}\n<!-- /bench:{name} -->\n"
    )
    text = REPORT.read_text() if REPORT.exists() else HEADER
    pattern = re.compile(
        rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->\n",
        re.DOTALL,
    )
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else f"{text}\n{section}"
    REPORT.write_text(text)
