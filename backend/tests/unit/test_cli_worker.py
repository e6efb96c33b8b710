"""`rapat worker` refuses to run without RabbitMQ, and a bad broker URL is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapat.cli import build_parser, main


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_worker_options() -> None:
    assert build_parser().parse_args(["worker"]).no_scheduler is False
    assert build_parser().parse_args(["worker", "--no-scheduler"]).no_scheduler is True


def test_worker_without_a_broker_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worker"]) == 2
    assert "RAPAT_BROKER_URL is not set" in capsys.readouterr().err


def test_a_broker_url_must_be_amqp(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAPAT_BROKER_URL", "redis://127.0.0.1:6379")
    assert main(["worker"]) == 2
    assert "RAPAT_BROKER_URL: must start with amqp://" in capsys.readouterr().err
