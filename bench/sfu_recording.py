"""What recording costs the SFU: two servers of this tree side by side under the same load
(P publishers and P subscribers each, the same clip, the same window), one recording its
room (`RAPAT_RECORDING_ENABLED=true` and the host's `recording` request), one not. Prints
the CPU per forwarded packet of each pair and the ratio; nothing is written to the docs.

    .venv/bin/python bench/sfu_recording.py [--points 2,4] [--repeats 3] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path

import uvloop

import harness
from harness import ROOT, SFU_ON_LOOPBACK, free_port, int_list, migrated_environment, rapat_server
from sfu import Window, measure
from sfu_clients import Tally
from sfu_media import Clip, encode_clip
from sfu_rapat import seat_users, start_rapat_point
from sfu_report import Result


async def point(
    port: int, pid: int, size: int, clip: Clip, window: Window, *, record: bool
) -> Result:
    tally = Tally()
    seats = await seat_users(port, size * 2)
    people = await start_rapat_point(port, seats, size, tally, clip)
    try:
        if record:  # the first publisher hosts the room
            await people[0]._send("recording", {"active": True}, id="record")
        return await measure("Rapat", pid, tally, size, clip=clip, window=window)
    finally:
        errors = [e for p in people for e in p.errors]
        if errors:
            print(f"  signaling errors: {errors[:5]}")
        for person in people:  # (the last to leave stops the recording)
            await person.close()


async def compare(
    servers: dict[bool, tuple[int, int]], args: argparse.Namespace
) -> dict[int, list[tuple[Result, Result]]]:
    clip = encode_clip()
    window = Window(args.warmup, args.seconds)
    pairs: dict[int, list[tuple[Result, Result]]] = defaultdict(list)
    for _ in range(args.repeats):
        for size in args.points:
            plain, recorded = await asyncio.gather(
                *(
                    point(port, pid, size, clip, window, record=record)
                    for record, (port, pid) in servers.items()
                )
            )
            pairs[size].append((plain, recorded))
            print(
                f"{size}x{size}: plain {plain.cpu_us_per_packet:.1f}, recording "
                f"{recorded.cpu_us_per_packet:.1f} µs/packet "
                f"({recorded.cpu_us_per_packet / plain.cpu_us_per_packet - 1:+.1%})",
                flush=True,
            )
            await asyncio.sleep(2)
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", default="2,4", help="P=S sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    args = parser.parse_args()
    args.points = int_list(args.points)
    waiting = harness.wait_until_up  # two servers starting on a busy machine: more time
    harness.wait_until_up = lambda port, timeout=90.0: waiting(port, timeout)
    with (
        tempfile.TemporaryDirectory() as plain_dir,
        tempfile.TemporaryDirectory() as recording_dir,
        contextlib.ExitStack() as stack,
    ):
        servers: dict[bool, tuple[int, int]] = {}
        for record, folder in ((False, plain_dir), (True, recording_dir)):
            env = {
                **migrated_environment(folder),
                **SFU_ON_LOOPBACK,
                "PYTHONPATH": str(ROOT / "backend" / "src"),
                "RAPAT_DATA_DIR": folder,
                "RAPAT_RECORDING_ENABLED": "true" if record else "false",
            }
            port = free_port()
            server = stack.enter_context(rapat_server(env, port, Path(folder, "server.log")))
            servers[record] = (port, server.pid)
        pairs = uvloop.run(compare(servers, args))
        written = sorted(Path(recording_dir, "recordings").rglob("*.webm"))
        print(f"files written: {len(written)}, {sum(f.stat().st_size for f in written)} bytes")
    for size, results in pairs.items():
        ratios = [r.cpu_us_per_packet / p.cpu_us_per_packet for p, r in results]
        print(
            f"{size}x{size}: recording/plain CPU per packet {statistics.mean(ratios):.3f} "
            f"(range {min(ratios):.3f}-{max(ratios):.3f}, {len(ratios)} pairs)"
        )


if __name__ == "__main__":
    main()
