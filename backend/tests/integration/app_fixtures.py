"""Builds a fully wired app for HTTP tests: a migrated database, a fake frontend build,
and settings that ignore the developer's environment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rapat.app import create_app, runtime_of
from rapat.config import Settings
from rapat.storage import migrate
from rapat.wiring import Runtime

INDEX_HTML = "<!doctype html><title>Rapat</title><div id=app></div>"


def write_fake_frontend(root: Path) -> Path:
    (root / "assets").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(INDEX_HTML)
    (root / "assets" / "index-3f2a1b.js").write_text("console.log('rapat')")
    (root / "favicon.svg").write_text("<svg/>")
    return root


def runtime(client: TestClient) -> Runtime:
    """The started app's runtime: its resources and every service."""
    app = client.app
    assert isinstance(app, FastAPI)
    found = runtime_of(app)
    assert found is not None, "the app is not started"
    return found


def make_settings(tmp_path: Path, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "test",
        "bcrypt_rounds": 4,
        # Tests sign up many people from one address; limits are tested where they matter.
        "rate_limits_enabled": False,
        # The tests read each other's mail (reset links for signed-out people); the
        # per-person mailbox has its own tests. (Production has no mailbox at all.)
        "dev_mailbox_show_all": overrides.get("env", "test") != "production",
        "secret_key": "test-secret-key-0123456789abcdef0123456789",
        "database_url": database_url,
        "frontend_dir": write_fake_frontend(tmp_path / "dist"),
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


AppMaker = Callable[..., TestClient]


@pytest.fixture
def make_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppMaker]:
    """`make_client(database_url, migrate_first=True, **setting_overrides)` -> started client."""
    for name in list(__import__("os").environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    clients: list[TestClient] = []

    def build(
        database_url: str,
        *,
        migrate_first: bool = True,
        configure: Callable[[FastAPI], None] | None = None,
        **overrides: Any,
    ) -> TestClient:
        if migrate_first:
            migrate.upgrade(database_url)
        app = create_app(make_settings(tmp_path, database_url, **overrides))
        if configure is not None:
            configure(app)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)
