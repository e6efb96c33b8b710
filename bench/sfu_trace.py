"""Where a packet's time goes inside Rapat's SFU: P publishers x S subscribers as in
`bench/sfu.py` (Rapat alone), with every packet the server receives timed inside it.

The server runs with `bench/trace_hook` on its PYTHONPATH, which times the receive callback
and reads the kernel's receive timestamp of the server's own socket. Per packet: how long
it waited before the server started on it (for the server to wake up and get a core when
nothing was pending at its arrival, else behind the packets before it), the callback's
parts (up to the fan-out, the fan-out to S subscribers, after it), and arrival to the end
of its fan-out. Runs each configuration on a fresh server: `shared` (every process free to
run on either core, as in `bench/sfu.py`) and `separate` (the load generator on the first
CPU, the server on the others, as `bench/sfu.py --separate-cpus`).

    .venv/bin/python bench/sfu_trace.py [--sizes 4,8] [--configs shared,separate]
        [--seconds 15] [--no-report]
"""

from __future__ import annotations

import argparse
import array
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import uvloop

from harness import (
    SFU_ON_LOOPBACK,
    affinity,
    free_port,
    int_list,
    migrated_environment,
    percentiles_ms,
    rapat_server,
    split_cpus,
    write_section,
)
from sfu import Window, rapat_point
from sfu_media import Clip, encode_clip
from sfu_report import Result

HOOK = Path(__file__).resolve().parent / "trace_hook"
FIELDS = 7  # per packet, as trace_hook writes them


@dataclass(frozen=True)
class Packet:
    arrived: int  # ns, wall clock: the kernel's receive timestamp
    began: int  # the receive callback's start
    fanout_start: int
    fanout_end: int
    ended: int
    copies: int
    video: bool


def read_trace(path: Path, start_ns: int, end_ns: int) -> list[Packet]:
    """The packets that arrived in the window, in the order the server handled them."""
    values = array.array("q")
    values.frombytes(path.read_bytes())
    packets = []
    for index in range(0, len(values) - FIELDS + 1, FIELDS):
        fields = values[index : index + FIELDS]
        if fields[0] and fields[2] and start_ns <= fields[0] < end_ns:
            arrived, began, fanout_start, fanout_end, ended, copies, video = fields
            packets.append(
                Packet(arrived, began, fanout_start, fanout_end, ended, copies, bool(video))
            )
    return packets


def traced_point(
    config: str, size: int, clip: Clip, args: argparse.Namespace
) -> tuple[Result, list[Packet]]:
    generator, servers = split_cpus() if config == "separate" else (None, None)
    with tempfile.TemporaryDirectory() as folder:
        trace = Path(folder, "trace.bin")
        env = migrated_environment(folder)
        path = os.pathsep.join(filter(None, [str(HOOK), env.get("PYTHONPATH")]))
        env = {
            **env,
            **SFU_ON_LOOPBACK,
            "RAPAT_BENCH_TRACE": str(trace),
            "PYTHONPATH": path,
        }
        port = free_port()
        with (
            affinity(servers),
            rapat_server(env, port, Path(folder, "server.log")) as server,
            affinity(generator),
        ):
            window_start: list[int] = []
            window = Window(
                args.warmup,
                args.seconds,
                on_measure=lambda: window_start.append(time.time_ns()),
            )
            result = uvloop.run(rapat_point(port, server.pid, size, clip, window))
            time.sleep(1.5)  # the hook writes its file every second
            start = window_start[0]
            packets = read_trace(trace, start, start + int(args.seconds * 1e9))
    return result, packets


def percentiles(values_ns: Sequence[int]) -> str:
    """p50 / p95 / p99 in µs, as the SFU benchmark computes them (nan under 100)."""
    p50, p95, p99 = percentiles_ms([value / 1e9 for value in values_ns])
    return f"{p50 * 1000:.0f} / {p95 * 1000:.0f} / {p99 * 1000:.0f}"


def mean_us(values_ns: Sequence[int]) -> str:
    return f"{statistics.fmean(values_ns) / 1000:.1f}" if values_ns else "—"


def timeline_rows(point: str, packets: list[Packet]) -> list[str]:
    """Table rows (µs, p50 / p95 / p99) for one point and configuration."""
    woken: list[Packet] = []
    queued: list[Packet] = []
    previous_end = 0
    for packet in packets:
        (woken if packet.arrived > previous_end else queued).append(packet)
        previous_end = max(previous_end, packet.ended)
    video = [p for p in packets if p.video]
    audio = [p for p in packets if not p.video]
    rows = [
        ("nothing pending at arrival: to start", [p.began - p.arrived for p in woken]),
        ("behind earlier packets: to start", [p.began - p.arrived for p in queued]),
        ("callback up to the fan-out", [p.fanout_start - p.began for p in packets]),
        ("fan-out, video", [p.fanout_end - p.fanout_start for p in video]),
        ("fan-out, audio", [p.fanout_end - p.fanout_start for p in audio]),
        ("callback after the fan-out, video", [p.ended - p.fanout_end for p in video]),
        (
            "arrival to the end of its fan-out",
            [p.fanout_end - p.arrived for p in packets],
        ),
    ]
    return [
        f"| {point} | {name} | {len(values):,} | {percentiles(values)} | {mean_us(values)} |"
        for name, values in rows
    ]


def summarize(point: str, result: Result, packets: list[Packet]) -> str:
    copies = statistics.mode(p.copies for p in packets)
    p50, p95, p99 = result.latencies_ms
    return (
        f"- {point}: {len(packets):,} packets received, {copies} copies each; at the "
        f"subscribers' sockets p50 / p95 / p99 {p50:.2f} / {p95:.2f} / {p99:.2f} ms; "
        f"CPU {result.cpu_us_per_packet:.1f} µs per forwarded packet"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="4,8", help="P=S sizes, comma-separated")
    parser.add_argument("--configs", default="shared,separate")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--no-report", action="store_true", help="print only")
    args = parser.parse_args()
    sizes = int_list(args.sizes)
    configs = args.configs.split(",")
    unknown = set(configs) - {"shared", "separate"}
    if unknown:
        raise SystemExit(f"unknown configuration(s): {', '.join(sorted(unknown))}")
    clip = encode_clip()
    rows, summaries = [], []
    for size in sizes:
        for config in configs:
            point = f"{size}x{size}, {config}"
            result, packets = traced_point(config, size, clip, args)
            if not packets:
                raise SystemExit(f"{point}: the server recorded no packet (hook not loaded?)")
            rows += timeline_rows(point, packets)
            summaries.append(summarize(point, result, packets))
            print(summaries[-1], flush=True)
    table = "\n".join(
        [
            "| point | per packet received | packets | µs p50 / p95 / p99 | mean µs |",
            "|---|---|---:|---|---:|",
            *rows,
        ]
    )
    summary = "\n".join(summaries)
    print(f"\n{table}\n\n{summary}")
    if args.no_report:
        return
    write_section(
        "SFU packet timeline",
        f"`bench/sfu_trace.py --sizes {args.sizes} --configs {args.configs} --seconds "
        f"{args.seconds:g}`: Rapat alone, P publishers x S subscribers as in section SFU, "
        "every packet the server receives timed inside it (`bench/trace_hook`: the "
        "kernel's receive timestamp of the server's socket and the wall clock in the "
        "receive callback). `shared`: every process free to run on either core, as "
        "`bench/sfu.py` runs; `separate`: the load generator on the first CPU, the server "
        "on the other. A packet that arrives when nothing is pending waits for the server "
        "to wake up and get a core; one that arrives behind others (still waiting, or "
        "being handled) waits for them too.\n\n"
        f"{table}\n\n{summary}\n",
    )


if __name__ == "__main__":
    main()
