"""Two Rapat servers measured side by side: each on a fresh database in its own temporary
folder, both under the same load at the same time (the same clip, P publishers and P
subscribers each, the same window), so that both see the same machine and the ratio of each
pair is what counts. What differs between the two servers is the caller's: `sfu_ab.py` runs
two revisions, `sfu_recording.py` one server recording its room and one not.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from harness import SFU_ON_LOOPBACK, free_port, int_list, migrated_environment, rapat_server
from sfu import Window
from sfu_media import Clip, encode_clip
from sfu_report import Result

# Two servers starting at once on a busy machine can take far longer than one.
UP_TIMEOUT = 90.0

# One point on one server: (port, pid, size, clip, window), as `sfu.rapat_point`.
Point = Callable[[int, int, int, Clip, Window], Awaitable[Result]]
# Per size P=S, the (first, second) results of every repeat.
Pairs = dict[int, list[tuple[Result, Result]]]


@dataclass(frozen=True)
class Server:
    port: int
    pid: int
    folder: Path  # its database, log and data directory (RAPAT_DATA_DIR)


def add_pair_arguments(
    parser: argparse.ArgumentParser, *, points: str, repeats: int, seconds: float
) -> None:
    """The options every side-by-side script takes, with its own defaults."""
    parser.add_argument(
        "--points", default=points, type=int_list, help="P=S sizes, comma-separated"
    )
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--warmup", type=float, default=3.0)


@contextlib.contextmanager
def two_servers(
    first: Mapping[str, str], second: Mapping[str, str]
) -> Iterator[tuple[Server, Server]]:
    """`rapat serve` twice, the SFU on loopback, with what `first` and `second` add to their
    environments (e.g. PYTHONPATH); both migrated by this checkout's code. Stopped, and their
    folders removed, when the block ends."""
    with contextlib.ExitStack() as stack:
        servers: list[Server] = []
        for settings in (first, second):
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            env = {
                **migrated_environment(folder),
                **SFU_ON_LOOPBACK,
                "RAPAT_DATA_DIR": folder,
                **settings,
            }
            port = free_port()
            log = Path(folder, "server.log")
            server = stack.enter_context(rapat_server(env, port, log, up_timeout=UP_TIMEOUT))
            servers.append(Server(port, server.pid, Path(folder)))
        yield servers[0], servers[1]


async def measure_pairs(
    servers: tuple[Server, Server],
    points: tuple[Point, Point],
    args: argparse.Namespace,
    describe: Callable[[int, Result, Result], str],
    settle: Callable[[], Awaitable[None]] | None = None,
) -> Pairs:
    """Every size in `args.points`, `args.repeats` times: the first server's point and the
    second's at the same time; prints `describe(size, first, second)` for each pair.
    `settle`, awaited after each pair, waits for what a point leaves running (a compose)."""
    clip = encode_clip()
    window = Window(args.warmup, args.seconds)
    pairs: Pairs = defaultdict(list)
    for _ in range(args.repeats):
        for size in args.points:
            first, second = await asyncio.gather(
                *(
                    point(server.port, server.pid, size, clip, window)
                    for point, server in zip(points, servers, strict=True)
                )
            )
            pairs[size].append((first, second))
            print(describe(size, first, second), flush=True)
            await asyncio.sleep(2)  # let both servers finish closing the point
            if settle is not None:
                await settle()
    return pairs


def print_ratios(pairs: Pairs, label: str) -> None:
    """Per size, the mean and range of the second server's CPU per packet over the first's."""
    for size, results in pairs.items():
        ratios = [second.cpu_us_per_packet / first.cpu_us_per_packet for first, second in results]
        print(
            f"{size}x{size}: {label} CPU per packet {statistics.mean(ratios):.3f} "
            f"(range {min(ratios):.3f}-{max(ratios):.3f}, {len(ratios)} pairs)"
        )
