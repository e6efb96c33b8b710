"""Rapat's SFU before and after a change: two servers, one running a git revision and one
the working tree, under the same load at the same time (the same clip, P publishers and S
subscribers each, measured over the same window). On a shared 2-core machine the CPU per
packet of one server moves by a fifth or more from one run to the next, which hides a 5 %
change in alternating runs; measured side by side, both servers see the same machine, and
the ratio of each pair is what counts.

    .venv/bin/python bench/sfu_ab.py BASELINE [--points 4,8] [--repeats 4] [--seconds 15]

BASELINE is any git revision (e.g. HEAD, main~2). Prints one line per pair and, per point,
the mean and range of after/before; nothing is written to the docs. Keep the defaults or
more: one short pair is noise (a 5 s pair of the same code on both sides read +12 %). Both
servers load their code from their own checkout and share this one's virtualenv and
migrations.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import uvloop

from harness import ROOT
from sfu import rapat_point
from sfu_pairs import add_pair_arguments, measure_pairs, print_ratios, two_servers
from sfu_report import Result


@contextlib.contextmanager
def checkout(revision: str) -> Iterator[Path]:
    """A temporary worktree of `revision` (removed afterwards)."""
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder, "tree")
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "worktree",
                "add",
                "--detach",
                "-q",
                str(tree),
                revision,
            ],
            check=True,
        )
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
            )


def describe(size: int, before: Result, after: Result) -> str:
    return (
        f"{size}x{size}: before {before.cpu_us_per_packet:.1f}, after "
        f"{after.cpu_us_per_packet:.1f} µs/packet "
        f"({after.cpu_us_per_packet / before.cpu_us_per_packet - 1:+.1%}); "
        f"p95 {before.latencies_ms[1]:.2f} -> {after.latencies_ms[1]:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", help="git revision to compare the working tree with")
    add_pair_arguments(parser, points="4,8", repeats=4, seconds=15.0)
    args = parser.parse_args()
    with checkout(args.baseline) as tree:
        # Both migrated by this checkout's code; each served by its own.
        before = {"PYTHONPATH": str(tree / "backend" / "src")}
        after = {"PYTHONPATH": str(ROOT / "backend" / "src")}
        with two_servers(before, after) as servers:
            pairs = uvloop.run(measure_pairs(servers, (rapat_point, rapat_point), args, describe))
    print_ratios(pairs, "after/before")


if __name__ == "__main__":
    main()
