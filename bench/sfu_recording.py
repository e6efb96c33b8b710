"""What recording costs the SFU: two servers of this tree side by side under the same load
(P publishers, each camera and microphone, and P subscribers each, the same clip, the same
window), one recording its room (`RAPAT_RECORDING_ENABLED=true` and the host's `recording`
request), one not. The default, 4, is the issue's 4-publisher room (8 tracks recorded).
Prints the CPU per forwarded packet of each pair and the ratio, and the CPU each server spent
off its main (media) thread: the capture thread's, in the recording one. Each pair waits for
the last one's recording to be composed (ffmpeg, a background job) before it starts.
Nothing is written to the docs.

    .venv/bin/python bench/sfu_recording.py [--points 4] [--repeats 5] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
from pathlib import Path

import uvloop

from harness import ROOT
from sfu import Window, rapat_point
from sfu_media import Clip
from sfu_pairs import Point, add_pair_arguments, measure_pairs, print_ratios, two_servers
from sfu_rapat import RapatParticipant
from sfu_report import Result


async def start_recording(people: list[RapatParticipant]) -> None:
    """The room's host (the first publisher) asks for the recording; the last person to
    leave at the end of the point stops it."""
    await people[0]._send("recording", {"active": True}, id="record")


def off_main_thread(pid: int) -> float:
    """CPU seconds the process's threads other than the main one have run (schedstat)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        if task.name != str(pid):
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except FileNotFoundError:  # (a thread that just ended)
                continue
    return total / 1e9


# Per server (0 plain, 1 recording), the CPU off the main thread in the last window.
OFF_MAIN: dict[int, float] = {}


def watched(point: Point, index: int) -> Point:
    """`point`, noting the CPU off the server's main thread during the measured window."""

    async def run(port: int, pid: int, size: int, clip: Clip, window: Window) -> Result:
        def start() -> None:
            before = off_main_thread(pid)

            def end() -> None:
                OFF_MAIN[index] = off_main_thread(pid) - before

            asyncio.get_running_loop().call_later(window.seconds, end)

        return await point(port, pid, size, clip, dataclasses.replace(window, on_measure=start))

    return run


def children_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
            if parent == pid:
                children.append(int(entry.name))
    return children


async def composed(pid: int, quiet: float = 3.0, limit: float = 300.0) -> None:
    """Waits until the recording server has run no child (ffmpeg composing the last point's
    recording, a background job) for `quiet` seconds: composing is off the media path in
    production (a `rapat worker`), and here it would land in the next point's window."""
    loop = asyncio.get_running_loop()
    deadline, calm_since = loop.time() + limit, loop.time()
    while loop.time() < deadline and loop.time() - calm_since < quiet:
        await asyncio.sleep(0.5)
        if children_of(pid):
            calm_since = loop.time()


def describe(size: int, plain: Result, recorded: Result) -> str:
    return (
        f"{size}x{size}: plain {plain.cpu_us_per_packet:.1f}, recording "
        f"{recorded.cpu_us_per_packet:.1f} µs/packet "
        f"({recorded.cpu_us_per_packet / plain.cpu_us_per_packet - 1:+.1%}); "
        f"off the main thread {OFF_MAIN.get(0, 0) / plain.cpu_seconds:.1%} of the plain "
        f"server's CPU, {OFF_MAIN.get(1, 0) / recorded.cpu_seconds:.1%} of the recording one's"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_pair_arguments(parser, points="4", repeats=5, seconds=10.0)
    args = parser.parse_args()
    source = {"PYTHONPATH": str(ROOT / "backend" / "src")}
    plain = {**source, "RAPAT_RECORDING_ENABLED": "false"}
    recording = {**source, "RAPAT_RECORDING_ENABLED": "true"}
    recorded_point = functools.partial(rapat_point, started=start_recording)
    points = (watched(rapat_point, 0), watched(recorded_point, 1))
    with two_servers(plain, recording) as servers:
        settle = functools.partial(composed, servers[1].pid)
        pairs = uvloop.run(measure_pairs(servers, points, args, describe, settle))
        written = sorted(Path(servers[1].folder, "recordings").rglob("*.webm"))
        print(f"files written: {len(written)}, {sum(f.stat().st_size for f in written)} bytes")
    print_ratios(pairs, "recording/plain")


if __name__ == "__main__":
    main()
