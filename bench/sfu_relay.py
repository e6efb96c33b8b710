"""What a relay hop costs (decision 70): one room on `rapat serve --processes 2`, its P
publishers and half its S subscribers on the room's home process, the other half sent to
the second process by placement once the home is full; the second process gets the
publishers' tracks over the relay. Same clip and counting as `sfu.py`.

Reported per point: latency p50/p95/p99 at the subscriber's socket for subscribers on the
home (direct) and on the other process (relayed), the p95 the hop adds, and each server
process's CPU per packet it forwarded (the home forwards each track once more, to the
relay; the other process forwards what it receives to its subscribers).

    .venv/bin/python bench/sfu_relay.py [--points 2,4] [--subscribers 4] [--repeats 3]
        [--seconds 10] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import uvloop

from harness import (
    int_list,
    machine_cpu_seconds,
    percentiles_ms,
    stop_on_sigterm,
    usage_of,
    write_section,
)
from sfu import print_unconnected, wait_for_tracks
from sfu_clients import Tally
from sfu_media import Clip, encode_clip
from sfu_processes import rapat, signaling_port
from sfu_rapat import RapatParticipant, seat_users

TTL = "1"  # records renewed every third of a second: the home shows as full at once


@dataclass
class RelayPoint:
    publishers: int
    subscribers: int
    direct: tuple[float, float, float]
    relayed: tuple[float, float, float]
    samples: tuple[int, int]
    cpu_per_packet_us: tuple[float, float]  # home, other
    machine_cores: float

    def row(self) -> str:
        added = self.relayed[1] - self.direct[1]
        direct = " / ".join(f"{v:.2f}" for v in self.direct)
        relayed = " / ".join(f"{v:.2f}" for v in self.relayed)
        home, other = self.cpu_per_packet_us
        return (
            f"| {self.publishers} x {self.subscribers} | {direct} | {relayed} | {added:+.2f} | "
            f"{home:.1f} / {other:.1f} | {self.samples[0]} / {self.samples[1]} | "
            f"{self.machine_cores:.2f} |"
        )


HEAD = (
    "| P x S | direct p50 / p95 / p99 ms | relayed p50 / p95 / p99 ms | p95 added ms | "
    "CPU µs per forwarded packet, home / other | samples direct / relayed | machine cores |\n"
    "|---|---|---|---|---|---|---|"
)


async def _forwarded(port: int) -> int:
    """Packets the process on `port` forwarded (its metrics: every copy it sent)."""
    async with httpx.AsyncClient(timeout=10) as http:
        text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    total = 0.0
    for line in text.splitlines():
        if line.startswith("rapat_sfu_packets_forwarded_total"):
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


async def point(
    server: tuple[int, list[int]], size: int, subscribers: int, clip: Clip, seconds: float
) -> RelayPoint:
    port, pids = server
    direct, relayed = Tally(), Tally()
    relayed.sent = direct.sent  # one clock of sending for both halves
    people: list[RapatParticipant] = []
    try:
        seats = await seat_users(port, size + subscribers)
        home = await signaling_port(port, seats[0].room_id, seats[0].token)
        for index in range(size):
            publisher = RapatParticipant(home, seats[index], direct, index)
            people.append(publisher)
            await publisher.open()
            await publisher.publish(clip)
        half = subscribers // 2
        near = [RapatParticipant(home, seat, direct, None) for seat in seats[size : size + half]]
        people += near
        await asyncio.gather(*(p.open() for p in near))
        for seat in seats[size + half :]:  # placement sends them on once the home is full
            deadline = time.monotonic() + 20
            other = home
            while other == home and time.monotonic() < deadline:
                other = await signaling_port(port, seat.room_id, seat.token)
                await asyncio.sleep(0.1)
            if other == home:
                raise RuntimeError("the home never filled up: no relay to measure")
            far = RapatParticipant(other, seat, relayed, None)
            people.append(far)
            await far.open()
        await wait_for_tracks(direct, size * 2 * half)
        await wait_for_tracks(relayed, size * 2 * (subscribers - half))
        await asyncio.sleep(3)  # warm-up
        ports = sorted({home, other})
        forwarded_before = [await _forwarded(p) for p in ports]
        cpu_before = [usage_of(pid).cpu_seconds for pid in pids]
        machine_before = machine_cpu_seconds()
        started = time.monotonic()
        direct.recording = relayed.recording = True
        await asyncio.sleep(seconds)
        direct.recording = relayed.recording = False
        elapsed = time.monotonic() - started
        cpu = [usage_of(pid).cpu_seconds - b for pid, b in zip(pids, cpu_before, strict=True)]
        forwarded = [await _forwarded(p) - b for p, b in zip(ports, forwarded_before, strict=True)]
        machine = (machine_cpu_seconds() - machine_before) / elapsed
        await asyncio.sleep(1.5)  # late copies still count
        by_port = dict(zip(ports, forwarded, strict=True))
        per_packet = tuple(
            cpu[i] * 1e6 / max(1, by_port.get(p, 0))
            for i, p in enumerate(sorted(ports, key=lambda p: p != home))
        )
        return RelayPoint(
            size,
            subscribers,
            percentiles_ms(direct.latencies),
            percentiles_ms(relayed.latencies),
            (len(direct.latencies), len(relayed.latencies)),
            (per_packet[0], per_packet[1]),
            machine,
        )
    finally:
        print_unconnected(p.pc for p in people)
        for person in people:
            await person.close()


async def benchmark(args: argparse.Namespace) -> list[RelayPoint]:
    clip = encode_clip()
    results: list[RelayPoint] = []
    capacity = {"RAPAT_NODE_TTL": TTL}
    with tempfile.TemporaryDirectory(prefix="rapat-relay-") as folder:
        for size in args.points:
            # the home counts as full with the publishers and the first half of the
            # subscribers in: the rest go to the other process
            env = capacity | {
                "RAPAT_NODE_CAPACITY": str(size + args.subscribers // 2),
                "RAPAT_NODE_SPILL_LOAD": "0.99",
            }
            with rapat(2, str(Path(folder) / f"p{size}"), env) as server:
                for _ in range(args.repeats):
                    result = await point(server, size, args.subscribers, clip, args.seconds)
                    print(result.row(), flush=True)
                    results.append(result)
                    gc.collect()
                    await asyncio.sleep(2)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", default="2,4", type=int_list, help="publishers per room")
    parser.add_argument("--subscribers", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    stop_on_sigterm()
    results = uvloop.run(benchmark(args))
    print(HEAD)
    for result in results:
        print(result.row())
    if args.write:
        load = os.getloadavg()
        text = (
            f"`bench/sfu_relay.py --points {','.join(map(str, args.points))} --subscribers "
            f"{args.subscribers} --repeats {args.repeats} --seconds {args.seconds:g}`: one room "
            "on `rapat serve --processes 2`, its publishers and half its subscribers on the "
            "home process, the other half placed on the second process (relayed). Latency at "
            "the subscriber's socket; CPU per packet each process forwarded (the relay's "
            f"copies included). Load average at the end: {load[0]:.1f}.\n\n{HEAD}\n"
            + "\n".join(r.row() for r in results)
            + "\n"
        )
        write_section("SFU relay between processes", text)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
