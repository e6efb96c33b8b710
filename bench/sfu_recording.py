"""What recording costs the SFU: two servers of this tree side by side under the same load
(P publishers and P subscribers each, the same clip, the same window), one recording its
room (`RAPAT_RECORDING_ENABLED=true` and the host's `recording` request), one not. Prints
the CPU per forwarded packet of each pair and the ratio; nothing is written to the docs.

    .venv/bin/python bench/sfu_recording.py [--points 2,4] [--repeats 3] [--seconds 10]
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

import uvloop

from harness import ROOT
from sfu import rapat_point
from sfu_pairs import add_pair_arguments, measure_pairs, print_ratios, two_servers
from sfu_rapat import RapatParticipant
from sfu_report import Result


async def start_recording(people: list[RapatParticipant]) -> None:
    """The room's host (the first publisher) asks for the recording; the last person to
    leave at the end of the point stops it."""
    await people[0]._send("recording", {"active": True}, id="record")


def describe(size: int, plain: Result, recorded: Result) -> str:
    return (
        f"{size}x{size}: plain {plain.cpu_us_per_packet:.1f}, recording "
        f"{recorded.cpu_us_per_packet:.1f} µs/packet "
        f"({recorded.cpu_us_per_packet / plain.cpu_us_per_packet - 1:+.1%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_pair_arguments(parser, points="2,4", repeats=3, seconds=10.0)
    args = parser.parse_args()
    source = {"PYTHONPATH": str(ROOT / "backend" / "src")}
    plain = {**source, "RAPAT_RECORDING_ENABLED": "false"}
    recording = {**source, "RAPAT_RECORDING_ENABLED": "true"}
    recorded_point = functools.partial(rapat_point, started=start_recording)
    with two_servers(plain, recording) as servers:
        pairs = uvloop.run(measure_pairs(servers, (rapat_point, recorded_point), args, describe))
        written = sorted(Path(servers[1].folder, "recordings").rglob("*.webm"))
        print(f"files written: {len(written)}, {sum(f.stat().st_size for f in written)} bytes")
    print_ratios(pairs, "recording/plain")


if __name__ == "__main__":
    main()
