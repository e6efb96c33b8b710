"""One `rapat serve` process against `rapat serve --processes 2`, under the same load: R
rooms of P publishers x P subscribers (aiortc clients in this process, the clip and
counting of `sfu.py`), each room placed by the server (decision 61), every client opening
the signaling URL `GET /rooms/{id}/signaling` names. Both servers run on Redis (several
processes need it; one process on it too, so that only the process count differs).

Per configuration and point: forwarded packets/s, the servers' CPU (every server process,
summed) per forwarded packet and in cores, latency p50/p95/p99 at the subscriber's socket,
loss, and the load generator's and whole machine's CPU. The two configurations alternate
which goes first at each repeat.

    .venv/bin/python bench/sfu_processes.py [--rooms 2] [--points 2,4] [--repeats 2]
        [--seconds 10] [--write]

On a 2-core machine the load generator shares the cores with the servers: past a few
rooms it, not the server, runs out first (its CPU is printed; a starved run says so).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx2 as httpx
import redis
import uvloop

from harness import (
    BIN,
    SFU_ON_LOOPBACK,
    free_port,
    int_list,
    machine_cpu_seconds,
    migrated_environment,
    serving,
    stop_on_sigterm,
    usage_of,
    write_section,
)
from sfu import Window, print_unconnected, wait_for_tracks
from sfu_clients import Tally
from sfu_media import Clip, encode_clip
from sfu_rapat import RapatParticipant, seat_users, start_rapat_point
from sfu_report import TABLE_HEAD, Result

REDIS_URL = os.environ.get("RAPAT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
CONFIGURATIONS = {"1 process": 1, "2 processes": 2}


def redis_commands() -> int:
    """Commands the Redis server has processed since it started (every client's)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return int(client.info("stats")["total_commands_processed"])
    finally:
        client.close()


def server_pids(pid: int, processes: int) -> list[int]:
    """The processes serving: the server itself, or the supervisor's children."""
    if processes == 1:
        return [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


@contextlib.contextmanager
def rapat(
    processes: int, folder: str, extra: dict[str, str] | None = None
) -> Iterator[tuple[int, list[int]]]:
    """`rapat serve` (with `--processes`), its shared port and the pids that serve."""
    env = migrated_environment(folder) | SFU_ON_LOOPBACK | (extra or {})
    env |= {
        "RAPAT_REDIS_URL": REDIS_URL,
        "RAPAT_CACHE_KEY_PREFIX": f"rapat-bench-{uuid.uuid4().hex[:8]}:",
        "RAPAT_DATA_DIR": folder,
        "RAPAT_SECRET_KEY": "bench-secret-0123456789abcdef0123456789ab",
    }
    port = free_port()
    command = [str(BIN / "rapat"), "serve", "--port", str(port), "--processes", str(processes)]
    with serving(command, env, port, Path(folder) / "server.log", up_timeout=60) as server:
        if processes > 1:  # every process up, not only the first to answer
            for index in range(1, processes + 1):
                wait_for(port + index)
        yield port, server_pids(server.pid, processes)


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"process on port {port} did not come up")


async def signaling_port(port: int, room_id: str, token: str) -> int:
    """The port of the process the room was placed on (the shared one without a URL)."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        answer = await http.get(
            f"/api/v1/rooms/{room_id}/signaling", headers={"Authorization": f"Bearer {token}"}
        )
        answer.raise_for_status()
        url = answer.json()["url"]
    return urlsplit(url).port or port if url else port


async def point(
    label: str, server: tuple[int, list[int]], rooms: int, size: int, *, clip: Clip, window: Window
) -> tuple[Result, list[int]]:
    """R rooms of P x P on one configuration (its shared port and serving pids); the result
    and each room's process port."""
    port, pids = server
    tally = Tally()
    people: list[RapatParticipant] = []
    homes = []
    try:
        for room in range(rooms):  # one room after another: each is placed as load arrives
            seats = await seat_users(port, size * 2)
            home = await signaling_port(port, seats[0].room_id, seats[0].token)
            homes.append(home)
            people += await start_rapat_point(home, seats, size, tally, clip, first=room * size)
        expected = rooms * size * size * 2
        receiving = await wait_for_tracks(tally, expected)
        await asyncio.sleep(window.warmup)
        tally.sent.clear()
        cpu_before = sum(usage_of(pid).cpu_seconds for pid in pids)
        commands_before = redis_commands()
        machine_before, self_before = machine_cpu_seconds(), usage_of(os.getpid()).cpu_seconds
        started = time.monotonic()
        tally.recording = tally.counting = True
        await asyncio.sleep(window.seconds)
        tally.recording = tally.counting = False
        elapsed = time.monotonic() - started
        cpu = sum(usage_of(pid).cpu_seconds for pid in pids) - cpu_before
        commands = redis_commands() - commands_before
        print(
            f"  Redis: {commands / elapsed:.0f} commands/s, "
            f"{commands * 60 / elapsed / len(people):.0f} per participant-minute"
        )
        machine_cpu = machine_cpu_seconds() - machine_before
        load = usage_of(os.getpid()).cpu_seconds - self_before
        await asyncio.sleep(window.drain)
        result = Result.of(
            f"{label} ({rooms} rooms)",
            size,
            tally,
            receiving=receiving,
            expected=expected,
            seconds=elapsed,
            cpu=cpu,
            load=load,
            machine=machine_cpu,
            planned=rooms * size * clip.packets_per_second,
        )
        return result, homes
    finally:
        print_unconnected(p.pc for p in people)
        for person in people:
            await person.close()


async def benchmark(args: argparse.Namespace) -> list[Result]:
    clip = encode_clip()
    window = Window(args.warmup, args.seconds)
    results: list[Result] = []
    with contextlib.ExitStack() as stack:
        servers = {}
        for label, processes in CONFIGURATIONS.items():
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="rapat-procs-"))
            servers[label] = stack.enter_context(rapat(processes, folder))
        for repeat in range(args.repeats):
            for size in args.points:
                order = (
                    list(CONFIGURATIONS) if (repeat + size) % 2 == 0 else [*CONFIGURATIONS][::-1]
                )
                for label in order:
                    result, homes = await point(
                        label, servers[label], args.rooms, size, clip=clip, window=window
                    )
                    print(f"{result.line()}  (rooms on ports {homes})", flush=True)
                    results.append(result)
                    gc.collect()
                    await asyncio.sleep(2)
    return results


def section(args: argparse.Namespace, results: list[Result]) -> str:
    rows = "\n".join(result.row() for result in results)
    return (
        f"`bench/sfu_processes.py --rooms {args.rooms} --points "
        f"{','.join(map(str, args.points))} --repeats {args.repeats} --seconds "
        f"{args.seconds:g}`: R rooms of P publishers x P subscribers, on one `rapat serve` and "
        "on `rapat serve --processes 2` (both on Redis), rooms placed by the server; server "
        "CPU summed over its processes.\n\n"
        f"{TABLE_HEAD}\n{rows}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rooms", type=int, default=2)
    parser.add_argument("--points", default="2,4", type=int_list, help="P=S sizes per room")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    stop_on_sigterm()
    results = uvloop.run(benchmark(args))
    if args.write:
        write_section("SFU on several processes", section(args, results))


if __name__ == "__main__":
    main()
