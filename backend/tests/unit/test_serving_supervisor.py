"""The supervisor of `rapat serve --processes N` (rapat/serving/supervisor.py): its pure
parts, and its loop over small stand-in processes (a few lines of Python each), so that
restarts, start failures and stop timeouts take a second rather than a server's start."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from rapat.config import Settings
from rapat.config.processes import ProcessPlan
from rapat.serving import supervisor
from rapat.serving.supervisor import (
    ChildSpec,
    Supervisor,
    child_environment,
    restart_delay,
    shared_secret,
)
from tests.waiting import wait_until


def test_restarts_back_off_from_1_to_30_s_and_start_over_after_a_minute_up() -> None:
    delays, delay = [], 0.0
    for _ in range(7):
        delay = restart_delay(delay, uptime=0.5)
        delays.append(delay)
    assert delays == [1, 2, 4, 8, 16, 30, 30]
    assert restart_delay(30, uptime=59.9) == 30
    assert restart_delay(30, uptime=60) == 1


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, redis_url="redis://127.0.0.1:6379/0", **values)  # type: ignore[call-arg, arg-type]


def test_each_process_gets_its_own_settings() -> None:
    settings = _settings(processes=2, host="0.0.0.0", port=9000, env="test")
    plan = ProcessPlan(2, 9002, "ws://meet.lan:9002/ws", (40005, 40009))
    env = child_environment(
        {"PATH": "/bin", "RAPAT_NODE_URL": "ws://x:{port}/ws"}, settings, plan, "k"
    )
    assert env == {
        "PATH": "/bin",
        "RAPAT_PROCESSES": "1",
        "RAPAT_NODE_URL": "ws://meet.lan:9002/ws",
        "RAPAT_HOST": "0.0.0.0",
        "RAPAT_PORT": "9000",  # links name the shared port
        "RAPAT_SFU_PORT_MIN": "40005",
        "RAPAT_SFU_PORT_MAX": "40009",
        "RAPAT_SECRET_KEY": "k",
    }
    unranged = child_environment({}, settings, ProcessPlan(1, 9001, "ws://h:9001/ws", None), None)
    assert "RAPAT_SFU_PORT_MIN" not in unranged
    assert "RAPAT_SECRET_KEY" not in unranged


def test_processes_share_one_secret_when_none_is_kept() -> None:
    generated = shared_secret(_settings(env="test"))
    assert generated is not None
    assert len(generated) == 64
    assert shared_secret(_settings(env="test", secret_key="s" * 64)) is None  # configured
    assert shared_secret(_settings(env="development")) is None  # kept in the data directory


def _child(index: int, code: str) -> ChildSpec:
    plan = ProcessPlan(index, 9000 + index, f"ws://127.0.0.1:{9000 + index}/ws", None)
    return ChildSpec(plan, (sys.executable, "-c", code), dict(os.environ), ())


def _sleeper(pid_file: Path) -> str:
    return f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_a_process_that_cannot_start_stops_them_all_with_its_code(tmp_path: Path) -> None:
    pid_file = tmp_path / "sleeper.pid"
    children = [
        _child(1, _sleeper(pid_file)),
        _child(2, "import sys, time; time.sleep(0.3); sys.exit(2)"),
    ]
    with capture_logs() as logs:
        assert await Supervisor(children).run() == 2
    assert _gone(int(pid_file.read_text()))
    [failed] = [entry for entry in logs if entry["event"] == "process_failed_to_start"]
    assert (failed["index"], failed["code"]) == (2, 2)


async def test_a_process_that_dies_is_started_again_and_sigterm_stops_all(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    # Crashes (exit 1) a moment after its first start, then stays up.
    flaky = (
        "import sys, time\n"
        f"with open({str(starts)!r}, 'a+') as f:\n"
        "    f.write('x'); f.seek(0); n = len(f.read())\n"
        "if n == 1:\n"
        "    time.sleep(0.2); sys.exit(1)\n"
        "time.sleep(60)\n"
    )
    pid_file = tmp_path / "sleeper.pid"
    run = asyncio.create_task(Supervisor([_child(1, flaky), _child(2, _sleeper(pid_file))]).run())
    with capture_logs() as logs:
        await wait_until(lambda: starts.exists() and starts.read_text() == "xx", 10, "a restart")
        os.kill(os.getpid(), signal.SIGTERM)  # the supervisor's handler takes it
        assert await asyncio.wait_for(run, 10) == 0
    [exited] = [entry for entry in logs if entry["event"] == "process_exited"]
    assert (exited["index"], exited["code"], exited["restart_in_s"]) == (1, 1, 1.0)
    started = [entry for entry in logs if entry["event"] == "process_started"]
    assert [(entry["index"], entry["run"]) for entry in started] == [(1, 1), (2, 1), (1, 2)]
    assert _gone(int(pid_file.read_text()))


async def test_a_process_that_ignores_sigterm_is_killed_after_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(supervisor, "STOP_TIMEOUT", 0.5)
    ready = tmp_path / "ready"
    stubborn = (
        "import os, signal, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"open({str(ready)!r}, 'w').write(str(os.getpid()))\n"
        "time.sleep(60)\n"
    )
    run = asyncio.create_task(Supervisor([_child(1, stubborn)]).run())
    await wait_until(lambda: ready.exists() and ready.read_text(), 10, "the child to start")
    with capture_logs() as logs:
        os.kill(os.getpid(), signal.SIGINT)
        assert await asyncio.wait_for(run, 10) == 0
    assert [entry["count"] for entry in logs if entry["event"] == "processes_killed"] == [1]
    assert _gone(int(ready.read_text()))
