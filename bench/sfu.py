"""Rapat's SFU against Janus VideoRoom: P publishers x S subscribers on loopback.

Publishers send a pre-encoded VP8 clip (~540 kbit/s, 30 fps) and Opus-shaped audio (50
packets/s) without encoding; subscribers count packets after SRTP without decoding. Both
run in this process, so a packet's latency is measured on one clock: from its send to its
arrival at the subscriber's socket (the kernel's receive timestamp), and, separately, to
the moment this process read it. Each server runs as its own process and its CPU time is
read from /proc: CPU microseconds per forwarded packet, forwarded packets/s, added latency
p50/p95/p99 and loss, for every point, each point at least twice, the two servers
interleaved.

Janus 1.1.2 skips loopback interfaces when it gathers candidates, so the whole benchmark
re-runs itself inside a private network namespace whose veth end carries a second
127.0.0.1/32, named in Janus's `ice_enforce_list` (Rapat binds 127.0.0.1 as configured).
Needs root (network namespaces, and apt to install `janus` when it is missing).

    .venv/bin/python bench/sfu.py [--points 4,8,16] [--repeats 2] [--no-janus] [--profile]

`--separate-cpus` holds the load generator on the first CPU and both servers on the others,
so that neither server shares a CPU with the process that wakes it (figures in their own
section of docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import uvloop
from aiortc import RTCPeerConnection

from harness import (
    SFU_ON_LOOPBACK,
    free_port,
    int_list,
    machine_cpu_seconds,
    migrated_environment,
    rapat_server,
    server_log_summary,
    split_cpus,
    stop_on_sigterm,
    usage_of,
)
from sfu_clients import Tally
from sfu_janus import ensure_installed, janus_server, start_janus_point
from sfu_media import Clip, encode_clip
from sfu_rapat import RapatParticipant, seat_users, start_rapat_point
from sfu_report import Result, profile_rapat, publish

NAMESPACE_ENV = "RAPAT_SFU_BENCH_NETNS"
VETH = "rsfu0"
RTP_PORTS = "40000-49999"


# --- the network namespace ------------------------------------------------------------


def run_in_namespace() -> int:
    """Create the namespace, run this script inside it, remove it."""
    name = f"rapat-sfu-{os.getpid()}"
    peer = f"rsfu{os.getpid() % 100000}"

    def ip(*args: str) -> None:
        subprocess.run(["ip", *args], check=True)

    ip("netns", "add", name)
    try:
        ip("link", "add", VETH, "type", "veth", "peer", "name", peer)
        ip("link", "set", VETH, "netns", name)
        ip("link", "set", peer, "up")
        ip("-n", name, "link", "set", "lo", "up")
        # A second 127.0.0.1 on an interface Janus does not skip as loopback.
        ip("-n", name, "addr", "add", "127.0.0.1/32", "dev", VETH)
        ip("-n", name, "link", "set", VETH, "up")
        env = {**os.environ, NAMESPACE_ENV: name}
        command = ["ip", "netns", "exec", name, sys.executable, *sys.argv]
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        subprocess.run(["ip", "link", "del", peer], check=False, capture_output=True)
        subprocess.run(["ip", "netns", "del", name], check=False)


# --- one point ------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    warmup: float
    seconds: float
    drain: float = 1.5
    on_measure: Callable[[], None] | None = None  # e.g. start the profiler


async def wait_for_tracks(tally: Tally, expected: int, seconds: float = 30.0) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and len(tally.tracks_receiving) < expected:
        await asyncio.sleep(0.1)
    return len(tally.tracks_receiving)


async def measure(
    server: str, pid: int, tally: Tally, size: int, *, clip: Clip, window: Window
) -> Result:
    expected = size * size * 2  # every subscriber gets every publisher's audio and video
    receiving = await wait_for_tracks(tally, expected)
    await asyncio.sleep(window.warmup)
    tally.sent.clear()
    cpu_before, machine_before = usage_of(pid).cpu_seconds, machine_cpu_seconds()
    self_before = usage_of(os.getpid()).cpu_seconds
    started = time.monotonic()
    tally.recording = tally.counting = True
    if window.on_measure is not None:
        window.on_measure()
    await asyncio.sleep(window.seconds)
    tally.recording = tally.counting = False
    elapsed = time.monotonic() - started
    cpu = usage_of(pid).cpu_seconds - cpu_before
    machine = machine_cpu_seconds() - machine_before
    load = usage_of(os.getpid()).cpu_seconds - self_before
    await asyncio.sleep(window.drain)  # late packets of the window still count
    return Result.of(
        server,
        size,
        tally,
        receiving=receiving,
        expected=expected,
        seconds=elapsed,
        cpu=cpu,
        load=load,
        machine=machine,
        planned=size * clip.packets_per_second,
    )


def print_unconnected(connections: Iterable[RTCPeerConnection]) -> None:
    """The point's peer connections by state, when not all of them are connected."""
    states = Counter(pc.connectionState for pc in connections)
    if set(states) != {"connected"}:
        print(f"  peer connections: {dict(states)}")


async def rapat_point(
    port: int,
    pid: int,
    size: int,
    clip: Clip,
    window: Window,
    *,
    started: Callable[[list[RapatParticipant]], Awaitable[None]] | None = None,
) -> Result:
    """One point on Rapat; `started` runs once media flows, before the measurement (as
    sfu_recording.py starts recording the room)."""
    tally = Tally()
    # New people in a new room every time: leaving the last point ended their membership.
    seats = await seat_users(port, size * 2)
    people = await start_rapat_point(port, seats, size, tally, clip)
    try:
        if started is not None:
            await started(people)
        return await measure("Rapat", pid, tally, size, clip=clip, window=window)
    finally:
        print_unconnected(p.pc for p in people)
        errors = [e for p in people for e in p.errors]
        if errors:
            print(f"  signaling errors: {errors[:5]}")
        for person in people:  # one at a time: concurrent leaves trip the media room
            await person.close()


async def janus_point(port: int, pid: int, size: int, clip: Clip, window: Window) -> Result:
    tally = Tally()
    session, people = await start_janus_point(port, size, size, tally, clip)
    try:
        return await measure("Janus", pid, tally, size, clip=clip, window=window)
    finally:
        print_unconnected(p.pc for p in people)
        await asyncio.gather(*(p.close() for p in people))
        await session.close()


# --- the run ---------------------------------------------------------------------------


class RestartingJanus:
    """Janus for the whole run, started again when it has died: Janus 1.1.2 has segfaulted
    here (a handle's loop thread jumping to address 0, between two points), and one crash
    should cost a point's retry, not the run."""

    def __init__(self, stack: contextlib.ExitStack, folder: Path, cpus: set[int] | None) -> None:
        self._stack, self._folder, self._cpus = stack, folder, cpus
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        self.port = free_port()
        self.process = self._stack.enter_context(
            janus_server(
                ensure_installed(), self._folder, VETH, self.port, RTP_PORTS, cpus=self._cpus
            )
        )
        wait_for_janus(self.port, self.process, self._folder / "janus.log")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def running(self) -> tuple[int, int]:
        """The port and process id of a running Janus."""
        if not self.alive:
            tail = (self._folder / "janus.log").read_text(errors="replace")[-500:]
            print(f"  Janus exited ({self.process.returncode}); log ends:\n{tail}")
            print("  starting Janus again")
            self.restarts += 1
            self._start()
        return self.port, self.process.pid


@dataclass
class Servers:
    rapat_port: int
    rapat_pid: int
    janus: RestartingJanus | None


async def janus_point_once(janus: RestartingJanus, size: int, clip: Clip, window: Window) -> Result:
    """A Janus point, run again once if Janus died during it."""
    for _ in range(2):
        port, pid = janus.running()
        try:
            result = await janus_point(port, pid, size, clip, window)
        except Exception:
            if janus.alive:
                raise
            continue
        if janus.alive:
            return result
    raise RuntimeError("Janus died during the same point twice")


async def benchmark(args: argparse.Namespace, servers: Servers) -> tuple[list[Result], str]:
    clip = encode_clip()
    print(f"clip: {len(clip.frames)} frames, {clip.video_bits_per_second / 1000:.0f} kbit/s")
    window = Window(args.warmup, args.seconds)
    results: list[Result] = []
    for repeat in range(args.repeats):
        for size in args.points:
            # Alternate which server goes first, so neither always runs on a warmer machine.
            order = ["Rapat", "Janus"] if (repeat + size) % 2 == 0 else ["Janus", "Rapat"]
            for server in order:
                if server == "Rapat":
                    result = await rapat_point(
                        servers.rapat_port, servers.rapat_pid, size, clip, window
                    )
                elif servers.janus is not None:
                    result = await janus_point_once(servers.janus, size, clip, window)
                else:
                    continue
                print(result.line(), flush=True)
                results.append(result)
                gc.collect()
                await asyncio.sleep(2)  # let the server finish closing the last point
    profile = ""
    if args.profile:

        async def profiled(start: Callable[[], None]) -> Result:
            measured = Window(args.warmup, args.seconds, on_measure=start)
            return await rapat_point(
                servers.rapat_port,
                servers.rapat_pid,
                args.profile,
                clip,
                measured,
            )

        profile = await profile_rapat(profiled, servers.rapat_pid, args.seconds)
        profile = f"P=S={args.profile}, {args.seconds:g} s at 250 Hz.\n\n{profile}"
    return results, profile


def start_rapat(
    stack: contextlib.ExitStack, env: dict[str, str], log: Path, attempts: int = 3
) -> tuple[int, subprocess.Popen[bytes]]:
    """Rapat's port and process, started again when it does not answer in time (on a
    machine busy with other jobs its start-up has taken longer than the 20 s allowed)."""
    for attempt in range(1, attempts + 1):
        port = free_port()
        try:
            return port, stack.enter_context(rapat_server(env, port, log))
        except RuntimeError as error:
            if "did not come up" not in str(error) or attempt == attempts:
                raise
            print(f"  Rapat did not come up (attempt {attempt}): starting it again")
    raise AssertionError("unreachable")


def wait_for_janus(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Janus exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/janus/info", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"Janus did not start: {log.read_text()[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", default="4,8,16", help="P=S sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=15.0, help="measured window")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--no-janus", action="store_true")
    parser.add_argument("--profile", type=int, default=0, help="py-spy Rapat at P=S=N")
    parser.add_argument("--no-report", action="store_true", help="print only")
    parser.add_argument("--server-log", type=Path, help="keep Rapat's server log (JSON lines) here")
    parser.add_argument(
        "--separate-cpus",
        action="store_true",
        help="the load generator on the first CPU, the servers on the others",
    )
    args = parser.parse_args()
    args.points = int_list(args.points)
    stop_on_sigterm()  # outside too: the namespace is removed on the way out
    if NAMESPACE_ENV not in os.environ:
        if not args.no_janus:
            ensure_installed()
        sys.exit(run_in_namespace())
    generator_cpus, server_cpus = split_cpus() if args.separate_cpus else (None, None)
    if server_cpus is not None:  # the servers start with it; their threads inherit it
        os.sched_setaffinity(0, server_cpus)
    with tempfile.TemporaryDirectory() as workdir:
        folder = Path(workdir)
        env = {**migrated_environment(workdir), **SFU_ON_LOOPBACK}
        log = folder / "server.log"
        try:
            with contextlib.ExitStack() as stack:
                rapat_port, rapat = start_rapat(stack, env, log)
                janus = None
                if not args.no_janus:
                    janus = RestartingJanus(stack, folder, server_cpus)
                if generator_cpus is not None:
                    os.sched_setaffinity(0, generator_cpus)
                servers = Servers(rapat_port, rapat.pid, janus)
                results, profile = uvloop.run(benchmark(args, servers))
                restarts = janus.restarts if janus is not None else 0
        finally:
            logged = server_log_summary(log)  # also when the run failed: it may say why
            if args.server_log is not None:
                shutil.copyfile(log, args.server_log)
    publish(results, profile, args, logged, restarts)


if __name__ == "__main__":
    main()
