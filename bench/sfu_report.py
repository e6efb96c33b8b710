"""Figures of the SFU benchmark: one result per server and point, the summary with the
Rapat/Janus ratios, the py-spy profile of Rapat's hot path, and the docs section."""

from __future__ import annotations

import argparse
import asyncio
import math
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from harness import counted, percentiles_ms, write_section
from sfu_clients import Tally

PY_SPY = Path(sys.executable).parent / "py-spy"


@dataclass(frozen=True)
class Result:
    server: str
    size: int  # P = S
    receiving: int  # subscriber tracks that got packets
    expected: int
    seconds: float
    forwarded: int  # packets the subscribers got in the window
    cpu_seconds: float  # the server process's CPU in the window
    loadgen_cores: float
    machine_cores: float  # every process on the machine
    sent: int
    matched: int
    latencies_ms: tuple[float, float, float]  # at the subscriber's socket
    read_latencies_ms: tuple[float, float, float]  # read by the load generator
    planned_per_second: float  # what the publishers should send together

    @property
    def generator_kept_up(self) -> bool:
        """A starved load generator sends late and little: such a run measures the
        machine, not the server, and is left out of the summary."""
        return self.sent_per_second >= 0.95 * self.planned_per_second

    @classmethod
    def of(
        cls,
        server: str,
        size: int,
        tally: Tally,
        *,
        receiving: int,
        expected: int,
        seconds: float,
        cpu: float,
        load: float,
        machine: float,
        planned: float,
    ) -> Result:
        return cls(
            server,
            size,
            receiving,
            expected,
            seconds,
            tally.received_in_window,
            cpu,
            load / seconds,
            machine / seconds,
            tally.sent_in_window,
            tally.matched,
            percentiles_ms(tally.latencies),
            percentiles_ms(tally.read_latencies),
            planned,
        )

    @property
    def packets_per_second(self) -> float:
        return self.forwarded / self.seconds

    @property
    def cpu_us_per_packet(self) -> float:
        return self.cpu_seconds * 1e6 / self.forwarded if self.forwarded else float("nan")

    @property
    def sent_per_second(self) -> float:
        return self.sent / self.seconds

    @property
    def cpu_cores(self) -> float:
        return self.cpu_seconds / self.seconds

    @property
    def loss(self) -> float:
        wanted = self.sent * self.size
        return 1 - self.matched / wanted if wanted else float("nan")

    def row(self) -> str:
        p50, p95, p99 = self.latencies_ms
        read_p50, read_p95, _ = self.read_latencies_ms
        behind = "" if self.generator_kept_up else " (generator behind)"
        return (
            f"| {self.server}{behind} | {self.size}x{self.size} "
            f"| {self.receiving}/{self.expected} "
            f"| {self.cpu_us_per_packet:.1f} | {self.sent_per_second:,.0f} "
            f"| {self.packets_per_second:,.0f} "
            f"| {self.cpu_cores * 100:.0f} % | {p50:.2f} / {p95:.2f} / {p99:.2f} "
            f"| {read_p50:.1f} / {read_p95:.1f} | {self.loss * 100:.2f} % "
            f"| {self.loadgen_cores * 100:.0f} % "
            f"| {self.machine_cores * 100:.0f} % |"
        )

    def line(self) -> str:
        return self.row().replace("|", " ").strip()


TABLE_HEAD = (
    "| server | P x S | tracks | CPU µs/packet | sent/s | forwarded/s | server CPU | "
    "latency p50 / p95 / p99 ms | read p50 / p95 ms | loss | load generator CPU | "
    "machine CPU |\n"
    "|---|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|"
)


# Two-sided 95 % quantiles of Student's t by degrees of freedom (beyond 20, 20's: a
# slightly wider interval than the exact one).
_T95 = (
    *(12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228),
    *(2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086),
)


@dataclass(frozen=True)
class Ratio:
    """Rapat/Janus over the interleaved pairs of a point: the geometric mean of each
    pair's ratio, with a 95 % interval where there are three pairs or more."""

    mean: float
    low: float = float("nan")
    high: float = float("nan")

    @classmethod
    def of(cls, ratios: list[float]) -> Ratio:
        if not ratios:
            return cls(float("nan"))
        logs = [math.log(ratio) for ratio in ratios]
        centre = statistics.fmean(logs)
        if len(logs) < 3:
            return cls(math.exp(centre))
        t = _T95[min(len(logs) - 1, len(_T95)) - 1]
        half = t * statistics.stdev(logs) / math.sqrt(len(logs))
        return cls(math.exp(centre), math.exp(centre - half), math.exp(centre + half))

    def cell(self) -> str:
        if math.isnan(self.low):
            return f"{self.mean:.2f}"
        return f"{self.mean:.2f} ({self.low:.2f}-{self.high:.2f})"

    def verdict(self) -> str:
        met = "met" if self.mean <= 1.0 else "not met"
        if not math.isnan(self.low) and self.low <= 1.0 <= self.high:
            return f"{met} (within the noise)"
        return met


def _pairs(results: list[Result], size: int) -> list[tuple[Result, Result]]:
    """The point's Rapat and Janus results, the n-th of each together (the script runs
    them one after the other in each repeat), without those where the load generator fell
    behind."""
    rapat = [r for r in results if r.server == "Rapat" and r.size == size]
    janus = [r for r in results if r.server == "Janus" and r.size == size]
    return [
        (a, b)
        for a, b in zip(rapat, janus, strict=False)
        if a.generator_kept_up and b.generator_kept_up
    ]


def _cpu(result: Result) -> float:
    return result.cpu_us_per_packet


def _p95(result: Result) -> float:
    return result.latencies_ms[1]


def _read_p95(result: Result) -> float:
    return result.read_latencies_ms[1]


def _mean(
    paired: list[tuple[Result, Result]], index: int, pick: Callable[[Result], float]
) -> float:
    values = [pick(pair[index]) for pair in paired]
    return statistics.fmean(values) if values else float("nan")


def _pair_ratios(
    paired: list[tuple[Result, Result]], pick: Callable[[Result], float]
) -> list[float]:
    return [pick(a) / pick(b) for a, b in paired]


def summary(results: list[Result]) -> str:
    """Means over the repeats, and Rapat/Janus for CPU per packet and latency p95 over
    the interleaved pairs."""
    lines = [
        (
            "| P x S | pairs | Rapat µs/packet | Janus µs/packet | ratio | Rapat p95 ms | "
            "Janus p95 ms | ratio | read p95 ratio |"
        ),
        "|---|---:|---:|---:|---|---:|---:|---|---:|",
    ]
    verdicts: list[str] = []
    for size in sorted({r.size for r in results}):
        paired = _pairs(results, size)
        cpu = Ratio.of(_pair_ratios(paired, _cpu))
        p95 = Ratio.of(_pair_ratios(paired, _p95))
        read = Ratio.of(_pair_ratios(paired, _read_p95))
        rapat_cpu, janus_cpu = (_mean(paired, i, _cpu) for i in (0, 1))
        rapat_p95, janus_p95 = (_mean(paired, i, _p95) for i in (0, 1))
        lines.append(
            f"| {size}x{size} | {len(paired)} | {rapat_cpu:.1f} | {janus_cpu:.1f} "
            f"| {cpu.cell()} | {rapat_p95:.2f} | {janus_p95:.2f} | {p95.cell()} "
            f"| {read.mean:.2f} |"
        )
        if not paired:  # every pair starved the load generator, or no Janus
            verdicts.append(f"{size}x{size}: no comparison")
            continue
        verdicts.append(f"{size}x{size}: CPU {cpu.verdict()}, p95 {p95.verdict()}")
    target = "; ".join(verdicts)
    return "\n".join(lines) + (
        "\n\nRatios are geometric means of the pairs' ratios, with a 95 % interval where "
        'there are three pairs or more; "within the noise" where that interval '
        "includes 1.0.\n\nTarget (Rapat/Janus CPU per packet at most 1.0, latency p95 no "
        f"worse): {target}."
    )


# --- profiling ------------------------------------------------------------------------


def _frame_name(frame: str) -> str:
    """'send (rapat/sfu/hooks/rtp_link.py:74)' -> 'send (rapat/sfu/hooks/rtp_link.py)'."""
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame.strip())
    if not match:
        return frame.strip()
    function, path = match.groups()
    path = re.sub(r"^.*site-packages/", "", path)
    path = re.sub(r"^.*/src/", "", path)
    return f"{function} ({path})"


LOOP_FRAME = "Runner.run (asyncio/runners.py)"


def summarise_profile(raw: str, top: int = 14) -> str:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = loop = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_name(f) for f in stack.split(";") if f]
        if LOOP_FRAME not in frames:
            continue  # other threads (aiosqlite's, the executor's): waiting, as a rule
        if frames[-1] == LOOP_FRAME:
            loop += count  # in uvloop's native code (mostly epoll): no Python frame to blame
            continue
        total += count
        if frames:
            own[frames[-1]] += count
        for name in set(frames):
            inclusive[name] += count
    if not total:
        return "py-spy recorded no samples."

    def table(counts: Counter[str], title: str) -> str:
        rows = [f"| {title} | share of samples |", "|---|---:|"]
        rows += [f"| `{n}` | {c / total * 100:.1f} % |" for n, c in counts.most_common(top)]
        return "\n".join(rows)

    return (
        f"{total + loop} samples of the event loop's thread; {loop} ended in its native "
        f"code (uvloop, mostly waiting in epoll) and are left out; shares are of the other "
        f"{total}. (py-spy here cannot tell idle threads apart, so the other threads, "
        "which mostly wait, are left out too.)\n\n"
        f"{table(own, 'function (self time)')}\n\n"
        f"{table(inclusive, 'function (including callees)')}"
    )


async def profile_rapat(
    run_point: Callable[[Callable[[], None]], Awaitable[object]],
    pid: int,
    seconds: float,
) -> str:
    """Run one Rapat point with py-spy sampling the server during the measured window
    (sampling pauses the server briefly: the figures of this run are not reported)."""
    if not PY_SPY.exists() and shutil.which("py-spy") is None:
        return "py-spy is not installed (`.venv/bin/pip install py-spy`)."
    spy = str(PY_SPY if PY_SPY.exists() else shutil.which("py-spy"))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder, "profile.txt")
        processes: list[subprocess.Popen[bytes]] = []

        def start() -> None:
            command = [
                spy,
                "record",
                "-p",
                str(pid),
                "-d",
                str(int(seconds)),
                "-r",
                "250",
            ]
            command += ["--threads", "-f", "raw", "-o", str(out)]
            processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))

        await run_point(start)
        for process in processes:
            await asyncio.to_thread(process.wait, 30)
        return _read_profile(out)


def _read_profile(out: Path) -> str:
    return summarise_profile(out.read_text()) if out.exists() else "py-spy wrote nothing."


# --- publishing -----------------------------------------------------------------------


def publish(
    results: list[Result],
    profile: str,
    args: argparse.Namespace,
    logged: Counter[str],
    janus_restarts: int = 0,
) -> None:
    table = "\n".join([TABLE_HEAD, *(r.row() for r in results)])
    problems = counted(Counter({k: n for k, n in logged.items() if not k.startswith("info")}))
    totals = summary(results)
    if janus_restarts:
        totals += (
            f"\n\nJanus died during the run and was started again {janus_restarts} "
            "time(s); the point it died in was run again."
        )
    print(f"\n{table}\n\n{totals}\n")
    if profile:
        print(profile)
    if args.no_report:
        return
    command = (
        f"`bench/sfu.py --points {','.join(map(str, args.points))} --repeats {args.repeats}"
        f" --seconds {args.seconds:g}{' --separate-cpus' if args.separate_cpus else ''}`"
    )
    if args.separate_cpus:
        write_section(
            SEPARATE_SECTION,
            f"{command}: the same load as in section SFU, with the load generator held on "
            "the first CPU and both servers on the second (each started with that "
            "affinity, so every thread of theirs keeps it). The servers no longer share "
            "a CPU with the generator that wakes them, and Janus's threads no longer "
            "spread over two.\n\n"
            f"{table}\n\n{totals}\n\nRapat's server log, warnings and errors: "
            f"{problems}.\n",
        )
        return
    write_section(
        "SFU",
        f"{command}: each publisher sends a pre-encoded VP8 clip "
        "(~540 kbit/s, 30 fps, ~66 packets/s) and Opus-shaped audio (50 packets/s); "
        "every subscriber receives every publisher. CPU is the server process's own "
        "(all threads) over the measured window, divided by the packets the subscribers "
        "received in it. Latency: publisher send to the copy's arrival at the subscriber's "
        "socket (kernel timestamp), same process and clock; read: to when the load "
        "generator read it, which adds its own queueing. Machine: 2 cores shared "
        "by the server, the load generator (both in this table) and, possibly, other "
        "jobs (machine CPU above the two).\n\n"
        f"{table}\n\n{totals}\n\nRapat's server log, warnings and errors: "
        f"{problems}.\n\n{NOTES}\n\n### Rapat's hot path (py-spy)\n\n"
        f"{profile or 'Not profiled in this run.'}\n",
    )


SEPARATE_SECTION = "SFU, load generator on its own CPU"

NOTES = """\
**How the two servers are driven.** The script re-runs itself inside a private network
namespace: Janus 1.1.2 skips loopback interfaces when it gathers ICE candidates, so a veth
end there carries a second `127.0.0.1/32` and Janus's `ice_enforce_list` names it
(`ignore_mdns`, no STUN server, `full_trickle` off, RTP ports 40000-49999, only the
VideoRoom plugin and the HTTP transport loaded, configured in a temporary folder). Rapat
runs there too (`rapat serve`, fresh SQLite, rate limits off,
`RAPAT_SFU_BIND_ADDRESSES=127.0.0.1`, rooms with `media_mode` `sfu`). The clients are
aiortc 1.16 with Rapat's own `ForwardingSender` (publishers: no encoder) and
`ForwardingReceiver` (subscribers: no decoder), bound to 127.0.0.1. Janus: one session
over HTTP (long poll), a room created per point with no bitrate cap, publishers
`joinandconfigure` with their offer, each subscriber one handle subscribed to every feed
(one multistream PeerConnection). Rapat: publishers join over `/ws`, answer the SFU's
offers of the others' tracks as inactive (so, as in Janus, publishers receive nothing) and
publish; subscribers join with media. aiortc repeats candidates and three fingerprints in
every bundled m-section; from 13 publishers on that passes Rapat's 32,000-character SDP
limit, so the clients keep them in the first section only.

**Reading the figures.** CPU per packet is the server's whole process (every thread:
receiving, RTCP, the event loop) over the packets the subscribers received, so the
incoming side is spread over S subscribers. Latency runs from just before the publisher
protects and sends a packet to the moment each copy reaches the subscriber's socket: the
kernel's receive timestamp, read in the receive callback (`SIOCGSTAMPNS`), the same clock.
The "read" column runs to the moment the load generator, a single Python process, got
round to the copy: a copy that arrives while the generator is sending the rest of a frame
waits for it. That adds 0.2-0.5 ms at p50 and 0.5-1.5 ms at p95, more for Rapat's copies
than for Janus's (measured on 2026-11-25, not explained), and is the load generator's
queue, not the server's. Until 2026-11-25 only that read latency was measured and
reported. At 16x16 the generator receives ~28,000 packets/s, which takes about two thirds
of a core, and on this 2-core machine shared with other engineers' test runs (the machine
CPU column; 200 % is both cores busy) it falls behind, so 16x16 read latency and loss
describe the generator's queue more than either server, and a run in which the publishers
could not send at least 95 % of their schedule is marked and left out of the summary.
The summary pairs each repeat's Rapat run with its Janus run (run one after the other,
the order alternating) and reports the geometric mean of the pairs' ratios with a 95 %
t interval: a server's p95 moves by up to a third from one repeat to the next, mostly
time spent waiting for a core (section "SFU packet timeline"), so one pair decides little.
Janus spreads its work over several threads, which also helps it on a contended machine;
Rapat's SFU is one event loop. Janus spends less here than the ~30 µs per
packet quoted in issue 7; one difference: aiortc negotiates no transport-wide congestion
control, so Janus computes and sends no TWCC feedback in this benchmark.

**Rapat's packet path** (decisions 31, 33 and 34 in docs/decisions.md): an SRTP datagram
is handled inside the socket's callback, with no queue, task or coroutine per packet:
aioice's STUN parse skipped for RTP/RTCP, SRTP unprotected, the header read for the two
extensions used (`RtpReader`), aiortc's statistics and NACK tracking kept, then for each
subscription whose m-line was accepted: sequence rewrite, header packed in one `struct`
call from a per-stream layout, SRTP straight through libsrtp, and `send` on a copy of the
nominated pair's socket connected to the subscriber's address. After the fan-out, aiortc's
bandwidth estimator (with two cheaper parts that give the same figures,
`sfu/lean_estimator.py`) gets the packets of each 50 ms together. SRTCP (receiver and
sender reports, NACK, PLI, REMB) takes the same synchronous path, and the sender and
receiver reports of a transport's streams go out together on one timer instead of a task
and a datagram per stream.

**What dominates Rapat's per-packet cost.** Measured with a timer around the receive
callback: 82-88 % of the event loop's CPU is spent inside the packet path (the rest is the
loop itself, receiving, timers and signaling). The server's time is mostly user time
(Python), not system time: at 8x8, 2.3-2.8 s user against 0.6-0.9 s system in a 10-12 s
window, where Janus spends about as much in the kernel as in user space. `bench/sfu_fanout.py`
times the fan-out alone: ~12 µs per forwarded packet back to back, of which ~5 µs is
Python and SRTP and ~7 µs the `send` system call (on loopback the kernel delivers the
datagram within the call; the same call costs 3.3-3.5 µs from C here, 4.3-5.2 µs as an
unconnected `sendto`). Spaced 2 ms apart, as packets arrive in a meeting, the same fan-out
costs 2-3 times as much per packet (15 against 25-38 µs for 4 subscribers): the machine
idles between packets and every packet starts with cold caches, which is why the CPU per
packet at 4x4 is about twice that at 8x8 for both servers. Measured again on 2026-11-25,
on a faster day (8x8, the load generator on its own CPU): `perf` (cpu-clock, 10 s) puts
55 % of the server's CPU in the Python interpreter, 27 % in the kernel (7.6 % of it in
waking the receiving process from inside `send`), 7 % in libsrtp, 5 % in malloc and free,
2 % each in cffi and uvloop; `bench/sfu_trace.py` gives, per packet received, 15-23 µs up
to the fan-out, 56-64 µs for the fan-out to 8 subscribers (7-8 µs a copy, against 4.4 µs
back to back in `bench/sfu_fanout.py` that morning) and 12-14 µs on average for the
bandwidth estimator's batches after it.

**What was tried**, quick runs (`--points 4,8 --repeats 1 --seconds 10`, one Janus run
interleaved each; the machine was shared with browser tests, so absolute figures moved by
up to 2x between runs and only the ratio of a run means much), Rapat/Janus CPU per packet
at 4x4 and 8x8: before issue 7's hot-path work 1.60 and 1.24; (1) the synchronous receive
path: 1.45 and 1.01; (2) no private-name lookups per packet, SRTCP on the same path, one
report timer per transport: within the noise of (1); (3) the lean RTP reader, SRTP through
pylibsrtp's binding without its per-call Python, the STUN parse skipped: 1.22 and 0.98.
Then (4), on 2026-11-24 evening: aiortc's `RateCounter` (1,000 one-millisecond buckets
walked on every call, twice per video packet: ~10 % of the event loop at 8x8 in a native
profile) replaced by `WindowRate`; the estimator's least-frame-period search (a Python loop
over 60 values per frame) by `min`; the header in one `struct` call; the forwarding time
read once per incoming packet instead of per subscriber; the sequence rewrite's comparisons
inlined; SRTP and the pair looked up once per transport (`RtpLink`); and the connected
socket. Fan-out alone: 17.2 -> 13.3 µs per packet without the connected socket, ~12 µs with
it. In the live benchmark, three interleaved pairs of runs of the code before and after
(4), Rapat alone (`--no-janus`, 12 s): 4x4 79.0, 80.8, 98.8 -> 69.6, 64.2, 73.6 µs per
packet (mean -20 %), 8x8 58.1, 59.2, 50.7 -> 47.4, 39.3, 48.6 (mean -19 %); latency p95 at
4x4 3.5, 3.7, 3.4 -> 2.8, 2.4, 3.0 ms. What did not help: `socket.sendto` on a duplicate of
the socket, unconnected (within the noise); writing header and payload straight into the
SRTP buffer instead of joining them (0.05 µs). A fully inlined fan-out (one loop body per
subscriber, no calls) measured 20 against 25-38 µs spaced and 8 against 11 µs back to back
in an experiment; not kept, as it would duplicate the header and SRTP code. Not tried:
`sendmmsg` (the copies of one packet go to S different sockets; one socket for every
connection, demultiplexed by address, would allow it and is the next step if the fan-out
must get cheaper); moving SRTP and `send` to a thread (the GIL would serialise them).
Then (5), on 2026-11-25 (decision 34), measured with `bench/sfu_ab.py`: two servers,
before and after, under the same load at the same time, so that both see the same machine
(alternating runs moved by a fifth). The bandwidth estimator fed every 50 ms after the
fan-out, no call per packet for m-lines answered as inactive, and receiver reports on the
transport's report timer: after/before -7 % at 4x4 (four pairs: -11, -6, -4, -8 %) and
-8 % at 8x8 (-9, -9, -7.5, -6.5 %), lower in every pair. (The load generator's subscribers
use the same receiver class, so since (5) they too send one compound report per
connection about once a second, as browsers do, instead of a datagram per stream: fewer
RTCP datagrams for both servers than in the runs before it.) Within ±3 % and not kept: leaner
NACK tracking and statistics (same results as aiortc's, fewer calls) and one function
fewer in the receive callback; likewise the fully inlined fan-out, spaced, measured 10.6-12.6
against 11.9-12.1 µs per subscriber without `send`. The fan-out alone, spaced 3 ms apart,
for 1, 2, 4, 8 and 16 subscribers: 37, 48, 63, 95 and 157 µs per packet, so ~30 µs per
wake-up before the first subscriber and ~8 µs per subscriber (half of it `send`). In the
live benchmark, CPU = silent + a x packets received + b x copies sent, fitted to the 4x4
and 8x8 points of two runs with the CPU measured while connected but silent (15 and 31 ms/s
for Rapat, 11 and 18 for Janus), gives Rapat a = 80-95 µs and b = 6.5-7 µs; Janus's fit
moves more (a = 52-86, b = 11-17). Latency: inside Rapat a packet reaches its first subscriber
within 0.05 ms and its last within 0.3 ms (p95, measured in the server at 4x4 and 8x8);
the rest of the p95 is waiting to run. Rapat's process spent 300 ms of a 10 s window at
4x4 waiting on a run queue (~47 µs per wake-up): the kernel places a woken receiver on
its sender's core, here the load generator's. With the servers on one core and the load
generator on the other (`sched_setaffinity`, an experiment, not the method), both servers'
p95 fell to about half (4x4: Rapat 0.7, Janus 0.6 ms; 8x8: 1.1 and 1.0) and Janus's CPU per
packet by a quarter (its threads no longer moved between cores), Rapat's hardly: 36.6
against 29.6 µs at 4x4 and 18.3 against 17.6 at 8x8, ratios 1.24 and 1.04: pinned, the
CPU target is not met at 4x4. Unpinned, the load generator also preempts Rapat when a
packet wakes it: 3,924 involuntary switches of Rapat's process in 10 s at 4x4, about one
per packet received. With the generator under `SCHED_BATCH` (no preemption on wake-up;
another experiment) that fell to 12, Rapat's CPU per packet to 26.5 (4x4) and 18.3 µs (8x8)
against Janus's 33.7 and 21.2, and Rapat's p95 only from 1.3 to 1.1 ms at 4x4, still above
Janus's 0.9. Measured per packet in the load generator (unpinned, 10 s): the spread from
the first to the last subscriber's copy is alike (8x8: p50 0.42 against 0.43 ms, p95 1.20
against 1.45), but the first copy arrives later from Rapat (4x4: p50 0.47 against 0.28 ms,
p95 1.19 against 0.71; 8x8: 0.51 against 0.26, 1.57 against 0.94). Rapat takes ~0.05 ms
from the datagram to its first send, so most of the difference is Rapat's one thread
waiting for a core when a packet wakes it (the generator, still sending the rest of its
frame, holds the core it is woken on), where Janus has a thread per connection, likely
last run on the other core. The benchmark keeps every process free to run on either core,
as in all the runs above. Those figures were all measured when the load generator read
each copy.

Then (6), on 2026-11-25 (decision 35): the latency now ends at the copy's arrival at the
subscriber's socket (the kernel's receive timestamp; see "Reading the figures"), with the
generator's read kept in its own column. Six pairs of runs at 4x4 and 8x8 of the code
before the time slice, median p95 at the socket against at the read: Rapat 0.96 against
1.76 ms at 4x4 and 1.48 against 3.30 at 8x8, Janus 0.79 against 1.19 and 1.16 against 2.00;
so the generator's queue made up about half of the p95 formerly reported, and more of
Rapat's. A 100 µs time slice for the media thread (decision 35, which settled on 400 µs)
changed neither latency nor CPU per packet here (six more pairs, medians 0.96 and 1.57 ms;
CPU 43.8 against 43.4 µs at 4x4, 26.7 against 27.6 at 8x8): on this benchmark's machine
nothing else holds the core a packet wakes Rapat on for long. It does when other processes
keep the cores busy, which `bench/sfu_slice.py` measures (section "SFU time slice").

Then (7), on 2026-11-25 morning, on a faster day (Janus 24-27 µs per packet at 4x4
against 43-60 the evening before). `bench/sfu_trace.py` (section "SFU packet timeline")
timed every packet inside the server: the p95 is waiting, not work. A packet that finds
the server idle waits p50 16-19 µs but p95 0.15-0.46 ms for it to get a core, because the
server was woken on the load generator's core; the rest of the frame queues behind it.
With the generator on a CPU of its own that wait is p50 53-57 µs (the idle CPU has to
wake; this machine's `haltpoll` does not poll) and p95 66-106 µs, and the p95 at the
subscribers' sockets halves (8x8: 0.93 against 0.42 ms). Neither a 100 µs time slice nor
the kernel's default changed the shared wait (p95 0.42-0.49 ms at 8x8). `--separate-cpus`
(section "SFU, load generator on its own CPU") measures both servers that way: Janus
gains most (CPU per packet 25.7 -> 14.5 µs at 4x4, 18.4 -> 9.4 at 8x8), as its threads no
longer cross cores; there Janus spends 14-28 % less CPU per packet than Rapat and its p95
is 20-60 % lower (decision 36). Tried: the bandwidth estimator's batch, 60-80 µs that ran
on the first packet after it came due (usually a frame's first, holding back the rest of
the frame), now waits for the frame's last packet (decision 34): traced at 8x8 with
separate CPUs, arrival to the end of the fan-out p95 433 -> 397 µs and p95 at the sockets
0.42 -> 0.38 ms (4x4: 390 -> 325 µs, 0.38 -> 0.32 ms). Sending straight from libsrtp's
buffer through a memoryview instead of a bytes copy: no change (4.42 against 4.46 µs a
copy). A fan-out folded by hand into one function: 4.4 -> 3.8 µs a copy, not kept.

Found on the way: the sequence rewriter stopped forwarding to a subscriber 32,768 packets
after a resync (video ~8 minutes into a call) until the numbers wrapped; fixed. uvloop is
the server's loop (uvicorn picks it) and `rapat serve` tunes the GC at start-up.
"""
