from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from rapat import __version__, cli
from rapat.cli import build_parser, main
from rapat.config import Settings, load_settings
from rapat.storage import migrate


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    assert capsys.readouterr().out.strip() == f"rapat {__version__}"


def test_bad_configuration_exits_2_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAPAT_PORT", "eighty")
    assert main(["migrate", "current"]) == 2
    assert "RAPAT_PORT" in capsys.readouterr().err


def test_migrate_up_current_down(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAPAT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    assert main(["migrate", "current"]) == 0
    assert capsys.readouterr().out.strip() == "database at revision: base (empty)"
    assert main(["migrate", "upgrade"]) == 0
    assert capsys.readouterr().out.strip() == f"database at revision: {migrate.heads()[0]}"
    assert main(["migrate", "downgrade", "base"]) == 0
    assert capsys.readouterr().out.strip() == "database at revision: base (empty)"


def test_serve_options_parse() -> None:
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9001", "--reload"])
    assert (args.host, args.port, args.reload) == ("0.0.0.0", 9001, True)


def _served_with(
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    logging_calls: list[tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    calls = [] if logging_calls is None else logging_calls
    monkeypatch.setattr(
        cli, "run_server", lambda options, reload: seen.update(options, reload=reload) is None
    )
    monkeypatch.setattr(cli, "tune_gc", lambda: None)
    monkeypatch.setattr(cli, "configure_logging", lambda *args: calls.append(args))
    assert main(["serve", *argv]) == 0
    return seen


def test_serve_listens_and_logs_as_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    default = _served_with(monkeypatch)
    assert (default["host"], default["port"], default["ws_per_message_deflate"]) == (
        "127.0.0.1",
        8080,
        False,
    )
    monkeypatch.setenv("RAPAT_HOST", "0.0.0.0")
    monkeypatch.setenv("RAPAT_PORT", "9123")
    monkeypatch.setenv("RAPAT_WS_COMPRESSION", "true")
    monkeypatch.setenv("RAPAT_LOG_LEVEL", "debug")
    monkeypatch.setenv("RAPAT_LOG_FORMAT", "console")
    logging_calls: list[tuple[str, ...]] = []
    configured = _served_with(monkeypatch, logging_calls=logging_calls)
    assert (configured["host"], configured["port"], configured["ws_per_message_deflate"]) == (
        "0.0.0.0",
        9123,
        True,
    )
    assert logging_calls == [("DEBUG", "console")]


def test_forwarded_headers_are_ignored_unless_a_proxy_is_trusted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    default = _served_with(monkeypatch)
    assert default["proxy_headers"] is False
    monkeypatch.setenv("RAPAT_TRUSTED_PROXIES", "10.0.0.2, 192.168.0.0/24")
    trusted = _served_with(monkeypatch)
    assert (trusted["proxy_headers"], trusted["forwarded_allow_ips"]) == (
        True,
        "10.0.0.2,192.168.0.0/24",
    )
    chosen = _served_with(monkeypatch, "--forwarded-allow-ips", "127.0.0.1")
    assert (chosen["proxy_headers"], chosen["forwarded_allow_ips"]) == (True, "127.0.0.1")


def test_a_trusted_proxy_must_be_an_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAPAT_TRUSTED_PROXIES", "proxy.example.com")
    assert main(["serve"]) == 2
    assert "RAPAT_TRUSTED_PROXIES" in capsys.readouterr().err


def test_migrate_check_reports_drift(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAPAT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    assert main(["migrate", "check"]) == 1  # empty database: every table is missing
    assert "drift:" in capsys.readouterr().out
    assert main(["migrate", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["migrate", "check"]) == 0
    assert "models and database agree" in capsys.readouterr().out


def test_check_config_prints_every_setting_with_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "4f1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a"
    monkeypatch.setenv("RAPAT_SECRET_KEY", secret)
    monkeypatch.setenv("RAPAT_DATABASE_URL", "postgresql+asyncpg://rapat:hunter2@db/rapat")
    monkeypatch.setenv("RAPAT_BROKER_URL", "amqp://rapat:rabbit-pw@mq/")
    monkeypatch.setenv("RAPAT_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("RAPAT_PORT", "9000")
    monkeypatch.setenv("RAPAT_FRONTEND_DIR", ".")
    Path("index.html").write_text("<!doctype html>")
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    for name in Settings.model_fields:
        assert f"RAPAT_{name.upper()}=" in out
    for hidden in (secret, "hunter2", "rabbit-pw"):
        assert hidden not in out
    assert f"RAPAT_SECRET_KEY=*** ({len(secret)} characters)  # set" in out
    assert "RAPAT_DATABASE_URL=postgresql+asyncpg://rapat:***@db/rapat  # set" in out
    assert "RAPAT_PUBLIC_URL=http://127.0.0.1:9000  # from RAPAT_HOST and RAPAT_PORT" in out
    assert "RAPAT_JOBS_QUEUE=rapat  # default" in out
    assert out.rstrip().endswith("no problems found")


def test_check_config_exits_1_on_errors_and_on_invalid_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("data").write_text("a file, not a directory")
    assert main(["check-config"]) == 1
    out = capsys.readouterr().out
    assert "error: RAPAT_DATA_DIR: data: data is not a directory" in out
    assert "warning: RAPAT_FRONTEND_DIR" in out  # nothing built in this directory
    assert out.rstrip().endswith("2 error(s), 1 warning(s)")  # the SQLite file's folder too
    monkeypatch.setenv("RAPAT_PORT", "eighty")
    assert main(["check-config"]) == 1
    assert "RAPAT_PORT" in capsys.readouterr().err


def test_serve_warns_when_links_would_miss_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPAT_PORT", "8080")  # restored after the test: serve sets it
    monkeypatch.setenv("RAPAT_HOST", "127.0.0.1")
    monkeypatch.setenv("RAPAT_PUBLIC_URL", "http://127.0.0.1:8080")
    with capture_logs() as logs:
        served = _served_with(monkeypatch, "--port", "9001")
    assert served["port"] == 9001
    assert os.environ["RAPAT_PORT"] == "9001"  # what the app's own settings will read
    [warning] = [entry for entry in logs if entry["event"] == "public_url_mismatch"]
    assert warning["log_level"] == "warning"
    assert warning["variable"] == "RAPAT_PUBLIC_URL"
    assert "port 8080, not 9001" in warning["problem"]
    monkeypatch.delenv("RAPAT_PUBLIC_URL")
    with capture_logs() as logs:
        _served_with(monkeypatch, "--port", "9002")
    assert [entry for entry in logs if entry["event"] == "public_url_mismatch"] == []
    assert load_settings().links_url == "http://127.0.0.1:9002"


def test_migrate_creates_the_sqlite_files_folder(capsys: pytest.CaptureFixture[str]) -> None:
    """A fresh install migrates in an empty directory with the default ./data/rapat.db."""
    assert not Path("data").exists()
    assert main(["migrate", "upgrade"]) == 0
    assert Path("data/rapat.db").is_file()
    assert capsys.readouterr().out.strip() == f"database at revision: {migrate.heads()[0]}"
