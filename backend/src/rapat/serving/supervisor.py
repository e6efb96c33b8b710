"""`rapat serve --processes N`: one small process that binds the sockets, starts N server
processes (`child.py`) and keeps them running.

Every process serves the public port (REST, the web app, WebSockets that land anywhere)
and a port of its own, where the browser opens the signaling WebSocket of a room whose
home the process is (its node URL). A process that dies is started again after a wait
that doubles from 1 s to 30 s while it keeps dying and starts over once it stayed up a
minute. One that cannot start at all the first time (exit 2, its configuration or app;
exit 3, its start-up) stops everything with that code: restarting would not mend it.
SIGTERM or SIGINT stops them all: SIGTERM to each, SIGKILL to what is left after
`STOP_TIMEOUT`, then exit 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapat.config import ENV_PREFIX, Settings
from rapat.config.processes import ProcessPlan, plan_for
from rapat.observability.logging import get_logger
from rapat.serving.server import GRACEFUL_SHUTDOWN

_log = get_logger("rapat.supervisor")

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
STABLE_AFTER = 60.0  # seconds up after which a process's next death counts as its first
START_FAILURE_REASONS = {  # exit codes of child.py
    2: "its configuration is wrong or the app could not be built (see its log); stopping",
    3: "the app's start-up failed (see its log); stopping all rather than retrying",
}
STOP_TIMEOUT = GRACEFUL_SHUTDOWN + 5.0
BACKLOG = 2048  # uvicorn's default


def restart_delay(previous: float, uptime: float) -> float:
    """Seconds to wait before starting again a process that died after `uptime` seconds;
    `previous` is the wait before its last start (0 before the first)."""
    if previous == 0 or uptime >= STABLE_AFTER:
        return FIRST_DELAY
    return min(previous * 2, MAX_DELAY)


@dataclass(frozen=True, slots=True)
class ChildSpec:
    """How to start one process: its plan (for the log), command line, environment and
    the descriptors it inherits."""

    plan: ProcessPlan
    argv: tuple[str, ...]
    env: Mapping[str, str]
    pass_fds: tuple[int, ...]


@dataclass(slots=True)
class _Slot:
    spec: ChildSpec
    process: asyncio.subprocess.Process | None = None
    runs: int = 0
    delay: float = 0.0


class Supervisor:
    """Starts the children, restarts them, stops them; `run` returns the exit code."""

    def __init__(self, children: Sequence[ChildSpec]) -> None:
        self._slots = [_Slot(spec) for spec in children]
        self._stopping = asyncio.Event()
        self._exit_code = 0

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._stop, signum)
        tasks = [asyncio.create_task(self._keep_running(slot)) for slot in self._slots]
        for task in tasks:  # a bug in the supervisor stops the processes, then surfaces
            task.add_done_callback(lambda _: self._stopping.set())
        try:
            await self._stopping.wait()
            self._signal_all(signal.SIGTERM)
            done, pending = await asyncio.wait(tasks, timeout=STOP_TIMEOUT)
            if pending:
                _log.warning("processes_killed", count=len(pending), after_s=STOP_TIMEOUT)
                self._signal_all(signal.SIGKILL)
                await asyncio.wait(pending)
            for task in done | pending:
                task.result()
        finally:
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signum)
        _log.info("processes_stopped", exit_code=self._exit_code)
        return self._exit_code

    def _stop(self, signum: int) -> None:
        if not self._stopping.is_set():
            _log.info("processes_stopping", signal=signal.Signals(signum).name)
        self._stopping.set()

    def _signal_all(self, signum: int) -> None:
        for slot in self._slots:
            if slot.process is not None and slot.process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    slot.process.send_signal(signum)

    async def _start(self, slot: _Slot) -> asyncio.subprocess.Process:
        spec = slot.spec
        process = await asyncio.create_subprocess_exec(
            *spec.argv, env=dict(spec.env), pass_fds=spec.pass_fds
        )
        slot.process, slot.runs = process, slot.runs + 1
        plan = spec.plan
        _log.info(
            "process_started",
            index=plan.index,
            pid=process.pid,
            port=plan.port,
            node_url=plan.node_url,
            media_ports=f"{plan.media_ports[0]}-{plan.media_ports[1]}" if plan.media_ports else "",
            run=slot.runs,
        )
        return process

    async def _keep_running(self, slot: _Slot) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            process = await self._start(slot)
            if self._stopping.is_set():  # stopped while it was being started
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
            code = await process.wait()
            if self._stopping.is_set():
                return
            index = slot.spec.plan.index
            if code in START_FAILURE_REASONS and slot.runs == 1:
                _log.error(
                    "process_failed_to_start",
                    index=index,
                    pid=process.pid,
                    code=code,
                    reason=START_FAILURE_REASONS[code],
                )
                self._exit_code = code
                self._stopping.set()
                return
            slot.delay = restart_delay(slot.delay, loop.time() - started)
            _log.warning(
                "process_exited",
                index=index,
                pid=process.pid,
                code=code,
                uptime_s=round(loop.time() - started, 1),
                restart_in_s=slot.delay,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), slot.delay)
                return


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket, as uvicorn would bind it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=BACKLOG)


def _listen_all(host: str, ports: Sequence[int]) -> list[socket.socket] | None:
    """A socket on each port, or None (and why, on stderr, naming the port)."""
    sockets: list[socket.socket] = []
    for port in ports:
        try:
            sockets.append(listen(host, port))
        except OSError as error:
            print(
                f"rapat: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr
            )
            for sock in sockets:
                sock.close()
            return None
    return sockets


def child_environment(
    base: Mapping[str, str],
    settings: Settings,
    plan: ProcessPlan,
    secret_key: str | None,
) -> dict[str, str]:
    """The process's settings: the supervisor's, with its own node URL and media ports,
    and one process of its own (it must not start a supervisor)."""
    env = dict(base) | {
        f"{ENV_PREFIX}PROCESSES": "1",
        f"{ENV_PREFIX}NODE_URL": plan.node_url,
        f"{ENV_PREFIX}HOST": settings.host,  # links follow the public port, as with one
        f"{ENV_PREFIX}PORT": str(settings.port),
    }
    if plan.media_ports is not None:
        env[f"{ENV_PREFIX}SFU_PORT_MIN"] = str(plan.media_ports[0])
        env[f"{ENV_PREFIX}SFU_PORT_MAX"] = str(plan.media_ports[1])
    if secret_key is not None:
        env[f"{ENV_PREFIX}SECRET_KEY"] = secret_key
    return env


def shared_secret(settings: Settings) -> str | None:
    """Outside development an unset secret is a new random one at each start, which would
    differ between processes (a token signed by one refused by the next): one for all.
    Development keeps its key in the data directory, which every process reads."""
    if settings.secret_key is not None or settings.env == "development":
        return None
    return secrets.token_hex(32)


def run_supervisor(settings: Settings, proxies: str | None) -> int:
    """Serve with `settings.processes` processes until SIGTERM or SIGINT; the exit code."""
    try:
        plans = plan_for(settings)
    except ValueError as error:
        print(f"rapat: {error}", file=sys.stderr)
        return 2
    # Bound here once and inherited (`pass_fds`) rather than bound by each process with
    # SO_REUSEPORT: a port in use fails once, at start, with one message; connections
    # queued on the socket outlive a process that dies (a closing SO_REUSEPORT socket
    # drops its queue) and its restart serves the same socket; no other program can join
    # the port. Whichever process is idle accepts first, so the busy ones take less.
    listening = _listen_all(settings.host, [settings.port, *(plan.port for plan in plans)])
    if listening is None:
        return 1
    shared, *own = listening
    # The children's read end reaches end of file once this process is gone (child.py).
    parent_read, parent_write = os.pipe()
    secret = shared_secret(settings)
    children = []
    for plan, mine in zip(plans, own, strict=True):
        fds = (shared.fileno(), mine.fileno())
        argv = [sys.executable, "-m", "rapat.serving.child"]
        argv += ["--index", str(plan.index), "--port", str(plan.port)]
        argv += [arg for fd in fds for arg in ("--listen-fd", str(fd))]
        argv += ["--parent-fd", str(parent_read)]
        if proxies is not None:
            argv += ["--forwarded-allow-ips", proxies]
        env = child_environment(os.environ, settings, plan, secret)
        children.append(ChildSpec(plan, tuple(argv), env, (*fds, parent_read)))
    try:
        return asyncio.run(Supervisor(children).run())
    finally:
        for sock in (shared, *own):
            sock.close()
        os.close(parent_read)
        os.close(parent_write)
