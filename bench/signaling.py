"""Signaling fan-out under chat load.

Starts `rapat serve` on a fresh database (SQLite and the in-process bus by default;
`--postgres` and `--redis` switch to PostgreSQL and the Redis bus), seats N users in rooms
through the REST API, opens one WebSocket per user and has every client send `chat` at a
fixed rate. Each chat line carries its send time, so the receivers (all in this process)
measure fan-out latency. Reports latency percentiles, throughput, errors and closes, and
the server's CPU time and memory (from /proc). Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import random
import resource
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information
import httpx2 as httpx
import redis.asyncio as aioredis
import uvloop
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from harness import (
    LOAD_SETTINGS,
    Rest,
    Seat,
    Usage,
    counted,
    free_port,
    machine_cpu_seconds,
    machine_load,
    migrated_environment,
    percentiles_ms,
    rapat_server,
    server_log_summary,
    sign_up,
    stop_on_sigterm,
    usage_of,
    write_section,
)

REDIS_URL = "redis://127.0.0.1:6379/0"
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REST_CONCURRENCY = 32
CONNECT_CONCURRENCY = 64
PING_SECONDS = 10.0
DRAIN_SECONDS = 10.0

T = TypeVar("T")


# --- the server ---------------------------------------------------------------------


def raise_file_limit() -> int:
    """Every client socket is a descriptor here and in the server (which inherits this)."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    name = f"rapat_bench_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def redis_prefix() -> Iterator[str]:
    prefix = f"rapat-bench-{uuid.uuid4().hex[:12]}:"

    async def forget() -> None:
        client = aioredis.from_url(REDIS_URL)
        try:
            keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=1000)]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()

    try:
        yield prefix
    finally:
        asyncio.run(forget())


@contextlib.contextmanager
def server_environment(args: argparse.Namespace, workdir: str) -> Iterator[dict[str, str]]:
    """The server's environment: SQLite in `workdir` and the in-process bus, or a fresh
    PostgreSQL database (`--postgres`) and a fresh key prefix on Redis (`--redis`)."""
    settings = dict(LOAD_SETTINGS)
    with contextlib.ExitStack() as stack:
        if args.postgres:
            settings["RAPAT_DATABASE_URL"] = stack.enter_context(postgres_database())
        if args.redis:
            settings["RAPAT_REDIS_URL"] = REDIS_URL
            settings["RAPAT_CACHE_KEY_PREFIX"] = stack.enter_context(redis_prefix())
        yield migrated_environment(workdir, settings)


# --- setup through the REST API -----------------------------------------------------


async def bounded(limit: int, jobs: Iterable[Awaitable[T]]) -> list[T]:
    """Await the jobs (coroutines start only when awaited), at most `limit` at a time."""
    gate = asyncio.Semaphore(limit)

    async def run(job: Awaitable[T]) -> T:
        async with gate:
            return await job

    return await asyncio.gather(*(run(job) for job in jobs))


async def create_room(rest: Rest, host_token: str, size: int) -> str:
    room = await rest.call("POST", "/api/v1/rooms", host_token, name="Bench room", max_users=size)
    return str(room["id"])


async def seat_everyone(
    port: int, clients: int, room_size: int
) -> tuple[list[Seat], str, Counter[str]]:
    """Users, rooms (the first user of each group hosts) and REST joins; timed per step."""
    run_id = uuid.uuid4().hex[:8]
    limits = httpx.Limits(max_connections=REST_CONCURRENCY)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=120
    ) as client:
        rest = Rest(client)
        started = time.monotonic()
        users = await bounded(
            REST_CONCURRENCY,
            (sign_up(rest, f"u{i}-{run_id}", f"User{i}") for i in range(clients)),
        )
        signed_up = time.monotonic()
        hosts = [users[i][1] for i in range(0, clients, room_size)]
        rooms = await bounded(
            REST_CONCURRENCY,
            (create_room(rest, t, room_size) for t in hosts),
        )
        members = [
            Seat(user_id, token, rooms[i // room_size]) for i, (user_id, token) in enumerate(users)
        ]
        created = time.monotonic()
        await bounded(REST_CONCURRENCY, (join(rest, m) for m in members))
        joined = time.monotonic()
    timing = (
        f"users (register + login) {signed_up - started:.1f} s, "
        f"rooms {created - signed_up:.1f} s, REST joins {joined - created:.1f} s"
    )
    return members, timing, rest.retried


async def join(rest: Rest, member: Seat) -> None:
    await rest.call("POST", f"/api/v1/rooms/{member.room_id}/join", member.token)


# --- the load -------------------------------------------------------------------------


@dataclass
class Tally:
    sent: int = 0
    acks: int = 0
    ack_latencies: list[float] = field(default_factory=list)
    fanout: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    closes: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Plan:
    rate: float
    start: float
    stop: float


async def open_socket(port: int, member: Seat, tally: Tally) -> ClientConnection | None:
    url = (
        f"ws://127.0.0.1:{port}/ws?roomId={member.room_id}"
        f"&userId={member.user_id}&token={member.token}"
    )
    try:
        socket = await connect(url, open_timeout=60, max_size=2**20)
        first = json.loads(await asyncio.wait_for(socket.recv(), 60))
    except (OSError, TimeoutError, ConnectionClosed) as error:
        tally.closes[f"connect: {describe(error)}"] += 1
        return None
    if first.get("type") != "room_state":
        tally.errors[f"first event {first.get('type')}"] += 1
    return socket


def describe(error: BaseException) -> str:
    if isinstance(error, ConnectionClosed):
        return f"close {error.rcvd.code}" if error.rcvd else "closed without a close frame"
    return type(error).__name__


async def send_chat(
    socket: ClientConnection, plan: Plan, tally: Tally, sent_at: dict[str, float]
) -> None:
    """Chat at a fixed rate on a schedule (no drift), a ping every PING_SECONDS."""
    interval = 1 / plan.rate
    due = plan.start + random.uniform(0, interval)  # spread the clients over the interval
    next_ping = plan.start + random.uniform(0, PING_SECONDS)
    count = 0
    while (now := time.monotonic()) < plan.stop:
        if now >= next_ping:
            await socket.send(json.dumps({"type": "ping", "id": f"p{count}"}))
            next_ping += PING_SECONDS
        if now >= due:
            message_id = f"c{count}"
            text = json.dumps({"t": now})
            sent_at[message_id] = now
            await socket.send(
                json.dumps({"type": "chat", "id": message_id, "data": {"text": text}})
            )
            tally.sent += 1
            count += 1
            due += interval
        await asyncio.sleep(max(0.0, min(due, next_ping, plan.stop) - time.monotonic()))


def record_event(event: dict[str, Any], tally: Tally, sent_at: dict[str, float]) -> None:
    now = time.monotonic()
    kind = event.get("type")
    if kind == "chat":
        tally.fanout.append(now - json.loads(event["data"]["text"])["t"])
    elif kind == "ack":
        started = sent_at.pop(str(event.get("id")), None)
        if started is not None:
            tally.acks += 1
            tally.ack_latencies.append(now - started)
    elif kind == "error":
        tally.errors[event["data"]["code"]] += 1


async def receive(socket: ClientConnection, tally: Tally, sent_at: dict[str, float]) -> None:
    try:
        async for raw in socket:
            record_event(json.loads(raw), tally, sent_at)
    except ConnectionClosed as error:
        tally.closes[describe(error)] += 1


async def run_load(
    sockets: list[ClientConnection], plan: Plan, tally: Tally, room_size: int
) -> float:
    """Send on every socket, then wait (at most DRAIN_SECONDS) for what is in flight;
    returns the wall time from the first send to the end of the drain."""
    pending: list[dict[str, float]] = [{} for _ in sockets]  # chat id -> send time
    receivers = [
        asyncio.create_task(receive(s, tally, sent_at))
        for s, sent_at in zip(sockets, pending, strict=True)
    ]
    await asyncio.gather(
        *(
            send_quietly(s, plan, tally, sent_at)
            for s, sent_at in zip(sockets, pending, strict=True)
        )
    )
    await settle(
        lambda: len(tally.fanout) >= tally.sent * room_size and tally.acks >= tally.sent,
        plan.stop + DRAIN_SECONDS,
    )
    elapsed = time.monotonic() - plan.start
    for receiver in receivers:  # our own closes below are not counted
        receiver.cancel()
    await asyncio.gather(*receivers, return_exceptions=True)
    return elapsed


async def send_quietly(
    socket: ClientConnection, plan: Plan, tally: Tally, sent_at: dict[str, float]
) -> None:
    with contextlib.suppress(ConnectionClosed):  # the receiver records the close
        await send_chat(socket, plan, tally, sent_at)


async def settle(done: Callable[[], bool], until: float) -> None:
    while not done() and time.monotonic() < until:
        await asyncio.sleep(0.1)


# --- the run ------------------------------------------------------------------------


@dataclass
class Result:
    clients: int
    rooms: int
    rest_setup: str
    setup_retries: Counter[str]
    rest_seconds: float
    connected: int
    connect_seconds: float
    tally: Tally
    seconds: float
    load_wall: float
    before_connect: Usage
    connected_usage: Usage
    after_load: Usage
    load_cpu_start: Usage
    generator_cpu: float
    machine_cpu: float


async def benchmark(args: argparse.Namespace, port: int, pid: int) -> Result:
    started = time.monotonic()
    members, rest_setup, retried = await seat_everyone(port, args.clients, args.room_size)
    rest_seconds = time.monotonic() - started
    print(f"REST setup {rest_seconds:.1f} s: {rest_setup}", flush=True)
    tally = Tally()
    await asyncio.sleep(1)  # let the server's memory settle after the REST burst
    before_connect = usage_of(pid)
    started = time.monotonic()
    opened = await bounded(CONNECT_CONCURRENCY, (open_socket(port, m, tally) for m in members))
    sockets = [socket for socket in opened if socket is not None]
    connect_seconds = time.monotonic() - started
    print(
        f"{len(sockets)}/{len(members)} WebSockets open in {connect_seconds:.1f} s",
        flush=True,
    )
    await asyncio.sleep(2)
    connected_usage = usage_of(pid)
    generator_before = time.process_time()
    machine_before = machine_cpu_seconds()
    load_cpu_start = usage_of(pid)
    start = time.monotonic() + 0.5
    plan = Plan(args.rate, start, start + args.seconds)
    load_wall = await run_load(sockets, plan, tally, args.room_size)
    after_load = usage_of(pid)
    generator_cpu = time.process_time() - generator_before
    machine_cpu = machine_cpu_seconds() - machine_before
    await bounded(CONNECT_CONCURRENCY, (s.close() for s in sockets))
    return Result(
        clients=len(members),
        rooms=-(-len(members) // args.room_size),
        rest_setup=rest_setup,
        setup_retries=retried,
        rest_seconds=rest_seconds,
        connected=len(sockets),
        connect_seconds=connect_seconds,
        tally=tally,
        seconds=args.seconds,
        load_wall=load_wall,
        before_connect=before_connect,
        connected_usage=connected_usage,
        after_load=after_load,
        load_cpu_start=load_cpu_start,
        generator_cpu=generator_cpu,
        machine_cpu=machine_cpu,
    )


# --- the report ---------------------------------------------------------------------


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "–"
    p50, p95, p99 = percentiles_ms(values, minimum=2)
    return " / ".join(f"{v:.1f}" for v in (p50, p95, p99, max(values) * 1000))


def mib(value: int) -> str:
    return f"{value / 2**20:.0f} MiB"


def table(result: Result, args: argparse.Namespace, log: Counter[str]) -> str:
    tally = result.tally
    load_wall = result.load_wall
    server_cpu = result.after_load.cpu_seconds - result.load_cpu_start.cpu_seconds
    per_connection = (result.connected_usage.rss_bytes - result.before_connect.rss_bytes) / max(
        result.connected, 1
    )
    expected = tally.sent * args.room_size
    rows = [
        (
            "clients / rooms of " + str(args.room_size),
            f"{result.clients} / {result.rooms}",
        ),
        ("REST setup", f"{result.rest_seconds:.1f} s ({result.rest_setup})"),
        ("setup requests retried after a 5xx", counted(result.setup_retries)),
        ("WebSockets opened", f"{result.connected} in {result.connect_seconds:.1f} s"),
        ("chat sent", f"{tally.sent} ({tally.sent / result.seconds:.0f}/s)"),
        ("chat acked", f"{tally.acks}"),
        (
            "chat events delivered",
            (
                f"{len(tally.fanout)} of {expected} expected "
                f"({len(tally.fanout) / result.seconds:.0f}/s over the load)"
            ),
        ),
        ("fan-out latency p50 / p95 / p99 / max", f"{percentiles(tally.fanout)} ms"),
        ("ack latency p50 / p95 / p99 / max", f"{percentiles(tally.ack_latencies)} ms"),
        ("error events", counted(tally.errors)),
        ("closes / failed connects", counted(tally.closes)),
        (
            "server CPU during load and drain",
            f"{server_cpu:.1f} s in {load_wall:.0f} s ({server_cpu / load_wall:.0%} of a core)",
        ),
        (
            "server RSS: before connecting / connected / after load",
            " / ".join(
                mib(usage.rss_bytes)
                for usage in (
                    result.before_connect,
                    result.connected_usage,
                    result.after_load,
                )
            ),
        ),
        ("server memory per connection", f"{per_connection / 1024:.0f} KiB"),
        (
            "load generator CPU, same window",
            f"{result.generator_cpu:.1f} s ({result.generator_cpu / load_wall:.0%} of a core)",
        ),
        (
            "whole machine CPU, same window (all processes)",
            machine_load(result.machine_cpu, server_cpu + result.generator_cpu, load_wall),
        ),
        ("server warnings/errors logged", counted(log)),
    ]
    return "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows) + "\n"


def backends(args: argparse.Namespace) -> str:
    database = "PostgreSQL" if args.postgres else "SQLite"
    bus = "Redis bus" if args.redis else "in-process bus"
    return f"{database}, {bus}"


def verdict(result: Result, room_size: int) -> str:
    """Percentiles only cover what arrived, so say plainly when much did not."""
    expected = result.tally.sent * room_size
    delivered = len(result.tally.fanout)
    if expected and delivered >= 0.99 * expected:
        return ""
    return (
        f"**The server did not keep up:** only {delivered / max(expected, 1):.0%} of the "
        "expected chat events arrived before the drain ended; the latency percentiles "
        "describe those that did.\n\n"
    )


def publish(result: Result, args: argparse.Namespace, log: Counter[str]) -> None:
    body = verdict(result, args.room_size) + table(result, args, log)
    print(body)
    suffix = "" if not (args.postgres or args.redis) else f" ({backends(args)})"
    write_section(
        f"Signaling fan-out{suffix}",
        f"One `rapat serve` process ({backends(args)}), {result.clients} clients in rooms of "
        f"{args.room_size}, each sending `chat` at {args.rate:g}/s for {args.seconds:g} s "
        f"(and `ping` every {PING_SECONDS:g} s); every line is delivered to the whole room, "
        "the sender included. Latency is from the send to the receipt of the `chat` event "
        "(fan-out) or of the `ack`. The clients offer permessage-deflate, as browsers do "
        "(the server accepts it only with `RAPAT_WS_COMPRESSION=true`). "
        "All clients run in one Python process on the same 2-core machine, sharing the "
        "cores with the server, so latency includes the load generator's own queueing. "
        "CPU is counted from the first send until every event arrived (at most "
        f"{DRAIN_SECONDS:g} s after the last send).\n\n"
        f"{body}\n"
        f"`.venv/bin/python bench/signaling.py --clients {args.clients} "
        f"--seconds {args.seconds:g} --rate {args.rate:g}"
        f"{' --postgres' if args.postgres else ''}{' --redis' if args.redis else ''}`\n",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--room-size", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1.0, help="chat messages/s per client")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--redis", action="store_true", help=f"bus on {REDIS_URL}")
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database")
    args = parser.parse_args()
    # The load generator holds thousands of sockets too: without this its own full
    # collections (up to a second with 2,000 clients) would count as fan-out latency.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    stop_on_sigterm()
    print(f"open-file limit {raise_file_limit()}", flush=True)
    with (
        tempfile.TemporaryDirectory() as workdir,
        server_environment(args, workdir) as env,
    ):
        port = free_port()
        log = Path(workdir, "server.log")
        try:
            with rapat_server(env, port, log) as server:
                result = uvloop.run(benchmark(args, port, server.pid))
        finally:
            logged = server_log_summary(log)  # also when the run failed: it may say why
        publish(result, args, logged)


if __name__ == "__main__":
    main()
