"""`rapat serve --processes N`: which path serves, and the mistakes refused before any
process starts."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import pytest

from rapat import cli
from rapat.cli import main
from rapat.config import Settings

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "configure_logging", lambda *_: None)


def _supervised(monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[Settings, str | None]:
    seen: list[tuple[Settings, str | None]] = []
    monkeypatch.setattr(cli, "run_supervisor", lambda *args: seen.append(args) or 0)
    monkeypatch.setattr(cli.uvicorn, "run", lambda *_, **__: pytest.fail("served alone"))
    assert main(["serve", *argv]) == 0
    [call] = seen
    return call


def test_several_processes_are_supervised_with_the_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RAPAT_REDIS_URL", REDIS)
    settings, proxies = _supervised(
        monkeypatch,
        *("--processes", "3", "--host", "0.0.0.0", "--port", "9100"),
        *("--forwarded-allow-ips", "127.0.0.1"),
    )
    assert (settings.processes, settings.host, settings.port) == (3, "0.0.0.0", 9100)
    assert proxies == "127.0.0.1"
    monkeypatch.setenv("RAPAT_PROCESSES", "2")
    settings, proxies = _supervised(monkeypatch)
    assert (settings.processes, settings.port, proxies) == (2, 8080, None)


def test_one_process_is_served_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """RAPAT_PROCESSES=4 with --processes 1: one plain uvicorn, and the app it builds
    reads one process."""
    monkeypatch.setenv("RAPAT_REDIS_URL", REDIS)
    monkeypatch.setenv("RAPAT_PROCESSES", "4")
    seen: dict[str, Any] = {}
    monkeypatch.setattr(cli.uvicorn, "run", lambda *_, **options: seen.update(options))
    monkeypatch.setattr(cli, "run_supervisor", lambda *_: pytest.fail("supervised"))
    monkeypatch.setattr(cli, "tune_gc", lambda: None)
    assert main(["serve", "--processes", "1", "--reload"]) == 0
    assert (seen["port"], seen["reload"], seen["factory"]) == (8080, True, True)
    assert os.environ["RAPAT_PROCESSES"] == "1"


@pytest.mark.parametrize(
    ("argv", "environment", "message"),
    [
        (["--processes", "2", "--reload"], {"RAPAT_REDIS_URL": REDIS}, "--reload restarts one"),
        (["--processes", "2"], {}, "RAPAT_PROCESSES: several processes share rooms through"),
        (["--processes", "65"], {"RAPAT_REDIS_URL": REDIS}, "RAPAT_PROCESSES: Input should be"),
        (
            ["--processes", "3"],
            {
                "RAPAT_REDIS_URL": REDIS,
                "RAPAT_SFU_PORT_MIN": "40000",
                "RAPAT_SFU_PORT_MAX": "40004",
            },
            "RAPAT_SFU_PORT_MIN/RAPAT_SFU_PORT_MAX: 5 port(s) for 3 processes",
        ),
        (["--processes", "2", "--port", "65534"], {"RAPAT_REDIS_URL": REDIS}, "RAPAT_PORT: 2"),
        (
            ["--processes", "2"],
            {"RAPAT_REDIS_URL": REDIS, "RAPAT_NODE_URL": "wss://meet.example.com/ws"},
            "RAPAT_NODE_URL: 2 processes would all announce",
        ),
    ],
)
def test_settings_several_processes_cannot_run_with_are_refused(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    environment: dict[str, str],
    message: str,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert main(["serve", *argv]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(("count", "message"), [("0", "at least 1"), ("two", "a whole number")])
def test_a_count_that_is_not_one_or_more_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], count: str, message: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--processes", count])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_port_in_use_is_reported_before_any_process_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAPAT_REDIS_URL", REDIS)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", "--processes", "2", "--port", str(port)]) == 1
    assert f"rapat: cannot listen on 127.0.0.1:{port}: " in capsys.readouterr().err
