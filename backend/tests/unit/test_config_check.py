"""`rapat check-config`'s findings (rapat/config/check.py), one or more tests each, and the
links that follow the listening address."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from rapat.config import Settings
from rapat.config.check import (
    Finding,
    check_settings,
    is_public,
    listening_findings,
    writable_problem,
)

SECRET = "4f1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a"
BUILT = {"index.html": "<!doctype html>"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env file


def settings(tmp_path: Path, **values: Any) -> Settings:
    """A setup that has no finding unless `values` bring one: a built frontend, a data
    directory and SQLite file in tmp_path."""
    (tmp_path / "web").mkdir(exist_ok=True)
    (tmp_path / "web" / "index.html").write_text(BUILT["index.html"])
    defaults: dict[str, Any] = {
        "frontend_dir": tmp_path / "web",
        "data_dir": tmp_path / "data",
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'data' / 'rapat.db'}",
    }
    return Settings(_env_file=None, **(defaults | values))  # type: ignore[call-arg]


def production(tmp_path: Path, **values: Any) -> Settings:
    """A production setup with no finding: behind a TLS proxy, TURN, SMTP, PostgreSQL."""
    good: dict[str, Any] = {
        "env": "production",
        "secret_key": SECRET,
        "public_url": "https://meet.example.org",
        "trusted_proxies": "127.0.0.1",
        "turn_urls": "turn:turn.example.org:3478",
        "turn_secret": SECRET[::-1],
        "smtp_url": "smtp://mail.example.org:587",
        "database_url": "postgresql+asyncpg://rapat:pw@db.internal/rapat",
    }
    return settings(tmp_path, **(good | values))


def about(findings: list[Finding], variable: str) -> list[str]:
    return [finding.severity for finding in findings if finding.variable == variable]


def test_good_setups_have_no_finding(tmp_path: Path) -> None:
    assert check_settings(settings(tmp_path)) == []
    assert check_settings(production(tmp_path)) == []


def test_links_follow_the_listening_address_unless_set() -> None:
    def links(**values: Any) -> str:
        return Settings(_env_file=None, **values).links_url  # type: ignore[call-arg]

    assert links() == "http://127.0.0.1:8080"
    assert links(port=9000) == "http://127.0.0.1:9000"
    assert links(host="192.168.1.5", port=9000) == "http://192.168.1.5:9000"
    assert links(host="0.0.0.0", port=9000) == "http://127.0.0.1:9000"
    assert links(host="::1") == "http://[::1]:8080"
    assert links(port=9000, public_url="https://meet.example.org/") == "https://meet.example.org"
    assert Settings(_env_file=None, port=9000).auth.public_url == "http://127.0.0.1:9000"  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("public_url", "host", "port", "warned"),
    [
        (None, "127.0.0.1", 9000, False),  # derived: always matches
        (None, "0.0.0.0", 9000, True),  # derived from a wildcard: only this machine
        ("http://127.0.0.1:8080", "127.0.0.1", 9000, True),  # the old default, moved port
        ("http://localhost:9000", "127.0.0.1", 9000, False),
        ("http://meet.lan:9000", "0.0.0.0", 9000, False),
        ("http://10.0.0.5:9000", "10.0.0.6", 9000, True),  # another address
        ("http://meet.example.org:9000", "127.0.0.1", 9000, True),  # loopback only
        ("http://meet.example.org", "0.0.0.0", 8080, True),  # a proxy on port 80
        ("https://meet.example.org", "127.0.0.1", 8080, False),  # TLS proxy: expected
        ("https://meet.example.org:8443", "127.0.0.1", 8080, True),
    ],
)
def test_public_url_that_does_not_reach_the_listener_warns(
    tmp_path: Path, public_url: str | None, host: str, port: int, warned: bool
) -> None:
    configured = settings(tmp_path, public_url=public_url)
    findings = listening_findings(configured, host, port)
    assert [f.severity for f in findings] == (["warning"] if warned else [])
    if warned and public_url is not None:
        assert "https port 443" in findings[0].message  # says how to silence it


def test_weak_secrets_are_errors_in_production_warnings_elsewhere(tmp_path: Path) -> None:
    weak = "ab" * 24  # long enough for validation, two characters
    assert about(check_settings(production(tmp_path, secret_key=weak)), "RAPAT_SECRET_KEY") == [
        "error"
    ]
    assert about(check_settings(settings(tmp_path, secret_key=weak)), "RAPAT_SECRET_KEY") == [
        "warning"
    ]
    findings = check_settings(production(tmp_path, turn_secret="x" * 40))
    assert about(findings, "RAPAT_TURN_SECRET") == ["error"]


def test_development_mode_on_a_public_address_warns(tmp_path: Path) -> None:
    public = settings(tmp_path, public_url="https://meet.example.org", trusted_proxies="::1")
    assert about(check_settings(public), "RAPAT_ENV") == ["warning"]
    lan = settings(tmp_path, public_url="https://meet.lan")
    assert about(check_settings(lan), "RAPAT_ENV") == []


def test_plain_http_public_url_is_an_error_in_production(tmp_path: Path) -> None:
    findings = check_settings(production(tmp_path, public_url="http://meet.example.org:8080"))
    assert about(findings, "RAPAT_PUBLIC_URL").count("error") == 1
    assert "cameras" in str(findings[0])
    lan = settings(tmp_path, public_url="http://192.168.1.5:8080", host="0.0.0.0")
    assert about(check_settings(lan), "RAPAT_PUBLIC_URL") == ["warning"]


def test_public_deployment_without_turn_warns(tmp_path: Path) -> None:
    findings = check_settings(production(tmp_path, turn_urls="", turn_secret=None))
    assert about(findings, "RAPAT_TURN_URLS") == ["warning"]
    private = production(tmp_path, public_url="https://meet.internal", turn_urls="")
    assert about(check_settings(private), "RAPAT_TURN_URLS") == []


def test_sqlite_shared_by_several_processes_warns(tmp_path: Path) -> None:
    nodes = settings(tmp_path, redis_url="redis://127.0.0.1:6379/0")
    assert about(check_settings(nodes), "RAPAT_DATABASE_URL") == ["warning"]
    worker = settings(
        tmp_path, broker_url="amqp://guest:guest@127.0.0.1/", redis_url="redis://127.0.0.1/0"
    )
    assert about(check_settings(worker), "RAPAT_DATABASE_URL") == ["warning", "warning"]
    memory = settings(tmp_path, database_url="sqlite+aiosqlite://")
    assert about(check_settings(memory), "RAPAT_DATABASE_URL") == ["warning"]
    memory_worker = settings(
        tmp_path, database_url="sqlite+aiosqlite://", broker_url="amqp://127.0.0.1/"
    )
    assert "error" in about(check_settings(memory_worker), "RAPAT_DATABASE_URL")


def test_a_worker_without_redis_warns(tmp_path: Path) -> None:
    alone = production(tmp_path, broker_url="amqp://rapat:pw@mq.internal/")
    assert about(check_settings(alone), "RAPAT_REDIS_URL") == ["warning"]
    shared = production(
        tmp_path, broker_url="amqp://rapat:pw@mq.internal/", redis_url="redis://cache/0"
    )
    assert about(check_settings(shared), "RAPAT_REDIS_URL") == []


def test_unwritable_data_directory_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    # The suite may run as root, whom permission bits do not stop: the check asks
    # os.access, which answers here as for an ordinary user facing a read-only folder.
    monkeypatch.setattr(os, "access", lambda path, _mode: Path(path) != locked)
    findings = check_settings(settings(tmp_path, data_dir=locked / "data"))
    assert about(findings, "RAPAT_DATA_DIR") == ["error"]
    sqlite = settings(tmp_path, database_url=f"sqlite+aiosqlite:///{locked}/db/r.db")
    assert about(check_settings(sqlite), "RAPAT_DATABASE_URL") == ["error"]
    store = settings(tmp_path, recording_store_dir=locked / "store")
    assert about(check_settings(store), "RAPAT_RECORDING_STORE_DIR") == ["error"]
    assert about(check_settings(settings(tmp_path)), "RAPAT_DATA_DIR") == []


def test_a_file_where_the_data_directory_should_be_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "data-file").write_text("")
    findings = check_settings(settings(tmp_path, data_dir=tmp_path / "data-file"))
    assert about(findings, "RAPAT_DATA_DIR") == ["error"]
    assert findings[0].severity == "error"  # errors come first
    assert writable_problem(tmp_path / "not" / "yet") is None  # created on demand


def test_missing_web_app_warns(tmp_path: Path) -> None:
    findings = check_settings(settings(tmp_path, frontend_dir=tmp_path / "nothing"))
    assert about(findings, "RAPAT_FRONTEND_DIR") == ["warning"]


def test_a_proxy_that_is_not_trusted_warns(tmp_path: Path) -> None:
    findings = check_settings(production(tmp_path, trusted_proxies=""))
    assert about(findings, "RAPAT_TRUSTED_PROXIES") == ["warning"]


@pytest.mark.parametrize(
    ("variable", "values"),
    [
        ("RAPAT_SMTP_URL", {"smtp_url": None}),
        ("RAPAT_RATE_LIMITS_ENABLED", {"rate_limits_enabled": False}),
        ("RAPAT_WEBHOOK_ALLOW_PRIVATE", {"webhook_allow_private": True}),
        ("RAPAT_BCRYPT_ROUNDS", {"bcrypt_rounds": 8}),
    ],
)
def test_production_risks_warn(tmp_path: Path, variable: str, values: dict[str, Any]) -> None:
    assert about(check_settings(production(tmp_path, **values)), variable) == ["warning"]
    assert about(check_settings(settings(tmp_path, **values)), variable) == []


@pytest.mark.parametrize(
    ("host", "public"),
    [
        ("meet.example.org", True),
        ("8.8.8.8", True),
        ("localhost", False),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("fd00::1", False),
        ("meet.local", False),
        ("rapat", False),
    ],
)
def test_what_counts_as_public(host: str, public: bool) -> None:
    assert is_public(host) is public
