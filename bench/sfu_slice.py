"""Rapat's SFU with and without the media thread's short time slice
(`RAPAT_SFU_SCHED_SLICE_US`), on a machine whose cores are also busy with other work.

A server seldom has its cores to itself: the database, a recording job or a backup runs
beside it. Here `--hogs N` processes spin on the CPU (plain Python loops, nice 0) while
P publishers x S subscribers meet, as in `bench/sfu.py`. Each repeat starts a fresh
server with the kernel's default slice, then one with each slice to try, under the same
load; the figures are latency at the subscriber's socket and CPU per packet. The load
generator (this process) runs with the short slice throughout.

    .venv/bin/python bench/sfu_slice.py [--points 4,8] [--repeats 3] [--hogs 2]
        [--slices 100,400] [--seconds 15] [--no-report]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import uvloop

from harness import (
    SFU_ON_LOOPBACK,
    free_port,
    int_list,
    migrated_environment,
    rapat_server,
    write_section,
)
from rapat.sfu.scheduling import request_media_slice
from sfu import Window, rapat_point
from sfu_media import Clip, encode_clip
from sfu_report import Result

SPIN = "while True: pass"
GENERATOR_SLICE_US = 100


@contextlib.contextmanager
def hogs(count: int) -> Iterator[None]:
    """`count` processes that keep a core busy until the block ends."""
    spinning = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(count)]
    try:
        yield
    finally:
        for process in spinning:
            process.kill()
            process.wait()


def one_point(slice_us: int, size: int, clip: Clip, args: argparse.Namespace) -> Result:
    """A fresh server with `slice_us` (0: the kernel's default) measured at one point."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **migrated_environment(folder),
            **SFU_ON_LOOPBACK,
            "RAPAT_SFU_SCHED_SLICE_US": str(slice_us),
        }
        port = free_port()
        with rapat_server(env, port, Path(folder, "server.log")) as server:
            window = Window(args.warmup, args.seconds)
            return uvloop.run(rapat_point(port, server.pid, size, clip, window))


def label(slice_us: int) -> str:
    return f"{slice_us} µs" if slice_us else "kernel default"


def describe(result: Result) -> str:
    p50, p95, p99 = result.latencies_ms
    return (
        f"{p50:.2f} / {p95:.2f} / {p99:.2f} | {result.cpu_us_per_packet:.1f} "
        f"| {result.loss * 100:.2f} %"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", default="4,8", help="P=S sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--hogs", type=int, default=2, help="busy processes beside")
    parser.add_argument("--slices", default="100,400", help="the media thread's slices to try, µs")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--no-report", action="store_true", help="print only")
    args = parser.parse_args()
    points = int_list(args.points)
    slices = [0, *int_list(args.slices)]
    # The load generator gets a short slice throughout, so that its own waits behind the
    # busy processes do not hide the server's.
    print(f"load generator: {request_media_slice(GENERATOR_SLICE_US)}")
    clip = encode_clip()
    rows: list[str] = []
    results: dict[tuple[int, int], list[Result]] = {}
    with hogs(args.hogs):
        for repeat in range(args.repeats):
            for size in points:
                for slice_us in slices:
                    result = one_point(slice_us, size, clip, args)
                    results.setdefault((size, slice_us), []).append(result)
                    row = (
                        f"| {repeat + 1} | {size}x{size} | {label(slice_us)} | {describe(result)} |"
                    )
                    print(row, flush=True)
                    rows.append(row)
    lines = []
    for size in points:
        for slice_us in slices:
            runs = results[(size, slice_us)]
            p95 = statistics.fmean(r.latencies_ms[1] for r in runs)
            p99 = statistics.median(r.latencies_ms[2] for r in runs)
            cpu = statistics.fmean(r.cpu_us_per_packet for r in runs)
            lines.append(
                f"| {size}x{size} | {label(slice_us)} | {p95:.2f} | {p99:.2f} | {cpu:.1f} |"
            )
    head = (
        "| repeat | P x S | media thread's slice | latency p50 / p95 / p99 ms "
        "| CPU µs/packet | loss |\n|---|---|---|---|---:|---:|"
    )
    table = "\n".join([head, *rows])
    verdict = "\n".join(
        [
            (
                f"| P x S | media thread's slice | p95 ms, mean of {args.repeats} "
                "| p99 ms, median | CPU µs/packet, mean |"
            ),
            "|---|---|---:|---:|---:|",
            *lines,
        ]
    )
    print(f"\n{table}\n\n{verdict}")
    if args.no_report:
        return
    write_section(
        "SFU time slice",
        f"`bench/sfu_slice.py --points {args.points} --repeats {args.repeats} --hogs "
        f"{args.hogs} --slices {args.slices} --seconds {args.seconds:g}`: Rapat alone "
        f"(as in the SFU section, each publisher a VP8 clip and Opus-shaped audio, every "
        f"subscriber receiving every publisher) while {args.hogs} processes spin on the "
        "machine's cores, as a database or a recording job would keep them busy. Each "
        "repeat runs a fresh server with the kernel's default time slice for its media "
        f"thread, then one with each `RAPAT_SFU_SCHED_SLICE_US` of {args.slices} µs. "
        "Latency is from the publisher's send to the copy's arrival at the subscriber's "
        f"socket; the load generator's thread has a {GENERATOR_SLICE_US} µs slice "
        "throughout.\n\n"
        f"{table}\n\n{verdict}\n",
    )


if __name__ == "__main__":
    main()
