from __future__ import annotations

from pathlib import Path

import pytest

from rapat.api.spa import cache_control_for, is_server_path, looks_like_file, resolve_file


@pytest.mark.parametrize(
    "path", ["/api", "/api/v1/nothing", "ws", "/healthz", "/metrics", "/docs", "/openapi.json"]
)
def test_server_paths(path: str) -> None:
    assert is_server_path(path)


@pytest.mark.parametrize("path", ["/", "/r/abc-defg-hij", "/login", "/apiary", "/docsy"])
def test_client_paths(path: str) -> None:
    assert not is_server_path(path)


def test_resolve_file_stays_inside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "app-1a2b.js").write_text("js")
    (tmp_path / "secret.txt").write_text("no")
    assert resolve_file(root, "assets/app-1a2b.js") == root / "assets" / "app-1a2b.js"
    assert resolve_file(root, "../secret.txt") is None
    assert resolve_file(root, "assets/../../secret.txt") is None
    assert resolve_file(root, ".env") is None
    assert resolve_file(root, "assets") is None
    assert resolve_file(root, "missing.js") is None


def test_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "dist"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("no")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert resolve_file(root, "link.txt") is None


def test_cache_policy() -> None:
    assert "immutable" in cache_control_for("assets/index-abc123.js")
    assert "immutable" not in cache_control_for("favicon.svg")


def test_looks_like_file() -> None:
    assert looks_like_file("assets/x.js")
    assert not looks_like_file("r/abc-defg-hij")
