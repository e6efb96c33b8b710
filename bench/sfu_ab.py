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
import asyncio
import contextlib
import statistics
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import uvloop

from harness import ROOT, SFU_ON_LOOPBACK, free_port, int_list, migrated_environment, rapat_server
from sfu import Window, rapat_point
from sfu_media import encode_clip
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


async def compare(
    servers: dict[str, tuple[int, int]], args: argparse.Namespace
) -> dict[int, list[tuple[Result, Result]]]:
    clip = encode_clip()
    window = Window(args.warmup, args.seconds)
    pairs: dict[int, list[tuple[Result, Result]]] = defaultdict(list)
    for _ in range(args.repeats):
        for size in args.points:
            before, after = await asyncio.gather(
                *(rapat_point(port, pid, size, clip, window) for port, pid in servers.values())
            )
            pairs[size].append((before, after))
            print(
                f"{size}x{size}: before {before.cpu_us_per_packet:.1f}, after "
                f"{after.cpu_us_per_packet:.1f} µs/packet "
                f"({after.cpu_us_per_packet / before.cpu_us_per_packet - 1:+.1%}); "
                f"p95 {before.latencies_ms[1]:.2f} -> {after.latencies_ms[1]:.2f} ms",
                flush=True,
            )
            await asyncio.sleep(2)  # let both servers finish closing the point
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", help="git revision to compare the working tree with")
    parser.add_argument("--points", default="4,8", help="P=S sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    args = parser.parse_args()
    args.points = int_list(args.points)
    with (
        checkout(args.baseline) as tree,
        tempfile.TemporaryDirectory() as before_dir,
        tempfile.TemporaryDirectory() as after_dir,
        contextlib.ExitStack() as stack,
    ):
        servers: dict[str, tuple[int, int]] = {}
        for name, folder, source in (
            ("before", before_dir, tree / "backend" / "src"),
            ("after", after_dir, ROOT / "backend" / "src"),
        ):
            # Migrated by this checkout's code; served by the revision's.
            env = {**migrated_environment(folder), **SFU_ON_LOOPBACK, "PYTHONPATH": str(source)}
            port = free_port()
            server = stack.enter_context(rapat_server(env, port, Path(folder, "server.log")))
            servers[name] = (port, server.pid)
        pairs = uvloop.run(compare(servers, args))
    for size, results in pairs.items():
        ratios = [a.cpu_us_per_packet / b.cpu_us_per_packet for b, a in results]
        print(
            f"{size}x{size}: after/before CPU per packet {statistics.mean(ratios):.3f} "
            f"(range {min(ratios):.3f}-{max(ratios):.3f}, {len(ratios)} pairs)"
        )


if __name__ == "__main__":
    main()
