"""How `rapat serve --processes N` divides the settings (rapat/config/processes.py), and
what `rapat check-config` says about it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from rapat.config import Settings
from rapat.config.check import check_settings
from rapat.config.display import effective_lines
from rapat.config.processes import (
    ProcessPlan,
    default_node_url,
    expand_node_url,
    node_ports,
    plan_processes,
    split_port_range,
)

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_each_process_gets_the_ports_after_the_shared_one() -> None:
    assert node_ports(8080, 4) == [8081, 8082, 8083, 8084]
    assert node_ports(65533, 2) == [65534, 65535]
    with pytest.raises(ValueError, match=r"RAPAT_PORT: 3 processes .* ports 65534-65536"):
        node_ports(65533, 3)


@pytest.mark.parametrize(
    ("low", "high", "parts", "ranges"),
    [
        (40000, 40009, 2, [(40000, 40004), (40005, 40009)]),
        (40000, 40010, 3, [(40000, 40003), (40004, 40007), (40008, 40010)]),
        (50000, 50003, 2, [(50000, 50001), (50002, 50003)]),
        (1024, 65535, 1, [(1024, 65535)]),
    ],
)
def test_the_media_range_splits_into_disjoint_ranges_covering_it(
    low: int, high: int, parts: int, ranges: list[tuple[int, int]]
) -> None:
    split = split_port_range(low, high, parts)
    assert split == ranges
    ports = [port for first, last in split for port in range(first, last + 1)]
    assert ports == list(range(low, high + 1))  # disjoint, in order, nothing left out


def test_a_media_range_too_small_for_the_processes_is_refused() -> None:
    with pytest.raises(ValueError, match=r"5 port\(s\) for 3 processes.*to 6 ports or more"):
        split_port_range(40000, 40004, 3)


def test_node_url_placeholders_are_filled_in() -> None:
    template = "wss://meet.example.com/node/{index}/ws"
    assert expand_node_url(template, 2, 8082) == "wss://meet.example.com/node/2/ws"
    assert expand_node_url("ws://10.0.0.5:{port}/ws", 1, 8081) == "ws://10.0.0.5:8081/ws"
    # Only these two: other braces are not a format string.
    assert expand_node_url("ws://h:{port}/ws?x={other}", 3, 9) == "ws://h:9/ws?x={other}"


@pytest.mark.parametrize(
    ("links_url", "expected"),
    [
        ("http://127.0.0.1:8080", "ws://127.0.0.1:8082/ws"),
        ("http://meet.lan:8080", "ws://meet.lan:8082/ws"),
        ("https://meet.example.com", "wss://meet.example.com:8082/ws"),
        ("http://[::1]:8080", "ws://[::1]:8082/ws"),
    ],
)
def test_the_default_node_url_is_the_processs_port_on_the_links_host(
    links_url: str, expected: str
) -> None:
    assert default_node_url(links_url, 8082) == expected


def test_a_plan_names_each_process() -> None:
    plans = plan_processes(
        processes=2,
        port=8080,
        links_url="http://127.0.0.1:8080",
        node_url=None,
        media_ports=(40000, 40009),
    )
    assert plans == [
        ProcessPlan(1, 8081, "ws://127.0.0.1:8081/ws", (40000, 40004)),
        ProcessPlan(2, 8082, "ws://127.0.0.1:8082/ws", (40005, 40009)),
    ]
    templated = plan_processes(
        processes=2,
        port=8080,
        links_url="https://meet.example.com",
        node_url="wss://meet.example.com/node/{index}/ws",
        media_ports=None,
    )
    assert [(plan.node_url, plan.media_ports) for plan in templated] == [
        ("wss://meet.example.com/node/1/ws", None),
        ("wss://meet.example.com/node/2/ws", None),
    ]


def test_one_node_url_for_all_processes_is_refused() -> None:
    with pytest.raises(ValueError, match=r"RAPAT_NODE_URL: .*\{index\} or \{port\}"):
        plan_processes(
            processes=2,
            port=8080,
            links_url="http://127.0.0.1:8080",
            node_url="ws://127.0.0.1:8081/ws",
            media_ports=None,
        )


def _settings(tmp_path: Path, **values: Any) -> Settings:
    (tmp_path / "web").mkdir(exist_ok=True)
    (tmp_path / "web" / "index.html").write_text("<!doctype html>")
    defaults: dict[str, Any] = {
        "frontend_dir": tmp_path / "web",
        "data_dir": tmp_path / "data",
        "database_url": "postgresql+asyncpg://rapat:pw@db.internal/rapat",
        "redis_url": REDIS,
    }
    return Settings(_env_file=None, **(defaults | values))  # type: ignore[call-arg]


def _line(settings: Settings, variable: str) -> str:
    [line] = [line for line in effective_lines(settings) if line.startswith(f"{variable}=")]
    return line


def test_check_config_shows_each_processs_port_and_url(tmp_path: Path) -> None:
    one = _settings(tmp_path)
    assert _line(one, "RAPAT_PROCESSES") == "RAPAT_PROCESSES=1  # default"
    assert _line(one, "RAPAT_NODE_URL") == "RAPAT_NODE_URL=  # unset: the page's own origin"
    several = _settings(tmp_path, processes=2, sfu_port_min=40000, sfu_port_max=40009)
    assert _line(several, "RAPAT_PROCESSES") == (
        "RAPAT_PROCESSES=2  # set; 1: port 8081, ws://127.0.0.1:8081/ws, media 40000-40004; "
        "2: port 8082, ws://127.0.0.1:8082/ws, media 40005-40009"
    )
    assert "each process's own port" in _line(several, "RAPAT_NODE_URL")
    assert check_settings(several) == []


def test_check_config_finds_processes_that_cannot_work(tmp_path: Path) -> None:
    narrow = _settings(tmp_path, processes=3, sfu_port_min=40000, sfu_port_max=40004)
    assert "cannot be divided" in _line(narrow, "RAPAT_PROCESSES")
    [finding] = check_settings(narrow)
    assert finding.severity == "error"
    assert finding.variable == "RAPAT_SFU_PORT_MIN/RAPAT_SFU_PORT_MAX"
    behind_tls = _settings(tmp_path, processes=2, public_url="https://meet.example.com")
    [finding] = [f for f in check_settings(behind_tls) if f.variable == "RAPAT_NODE_URL"]
    assert finding.severity == "warning"
    assert "/node/{index}/ws" in finding.message
    routed = _settings(
        tmp_path,
        processes=2,
        public_url="https://meet.example.com",
        node_url="wss://meet.example.com/node/{index}/ws",
    )
    assert [f for f in check_settings(routed) if f.variable == "RAPAT_NODE_URL"] == []
    in_memory = _settings(tmp_path, processes=2, database_url="sqlite+aiosqlite:///:memory:")
    [finding] = [f for f in check_settings(in_memory) if "in memory" in f.message]
    assert finding.severity == "error"
