from __future__ import annotations

from pathlib import Path

import pytest

from rapat.config import ConfigError, Settings, check_slice, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env file


def test_defaults_are_the_embedded_setup() -> None:
    settings = load_settings()
    assert settings.server.host == "127.0.0.1"
    assert settings.server.port == 8080
    assert settings.database.url == "sqlite+aiosqlite:///./data/rapat.db"
    assert settings.database.is_sqlite
    assert settings.cache.redis_url is None
    assert settings.observability.otel_endpoint is None
    assert settings.sfu.sched_slice_us == 400


def test_environment_variables_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPAT_HOST", "0.0.0.0")
    monkeypatch.setenv("RAPAT_PORT", "9000")
    monkeypatch.setenv("RAPAT_DATABASE_URL", "postgresql+asyncpg://u@db/rapat")
    monkeypatch.setenv("RAPAT_CORS_ORIGINS", "https://a.example, https://b.example/")
    monkeypatch.setenv("RAPAT_LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.server.port == 9000
    assert settings.server.host == "0.0.0.0"
    assert not settings.database.is_sqlite
    assert settings.http.cors_origins == ("https://a.example", "https://b.example")
    assert settings.observability.log_level == "DEBUG"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("RAPAT_PORT=8181\n")
    assert load_settings().port == 8181


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RAPAT_PORT", "not-a-number"),
        ("RAPAT_PORT", "70000"),
        ("RAPAT_DATABASE_URL", "mysql://localhost/rapat"),
        ("RAPAT_REDIS_URL", "http://localhost:6379"),
        ("RAPAT_LOG_LEVEL", "chatty"),
        ("RAPAT_OTEL_ENDPOINT", "not a url"),
        ("RAPAT_MAX_BODY_BYTES", "10"),
        ("RAPAT_SFU_SCHED_SLICE_US", "50"),
        ("RAPAT_SFU_SCHED_SLICE_US", "200000"),
    ],
)
def test_invalid_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        load_settings()


def test_slice_is_zero_or_within_the_kernels_range() -> None:
    assert check_slice(0) == 0
    assert check_slice(100) == 100
    assert check_slice(100_000) == 100_000
    for wrong in (-1, 50, 99, 100_001):
        with pytest.raises(ValueError, match="0 \\(the kernel's default\\) or 100-100000 µs"):
            check_slice(wrong)


def test_every_problem_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPAT_PORT", "x")
    monkeypatch.setenv("RAPAT_LOG_LEVEL", "chatty")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert "RAPAT_PORT" in str(raised.value)
    assert "RAPAT_LOG_LEVEL" in str(raised.value)


def test_wildcard_origin_with_credentials_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPAT_CORS_ORIGINS", "*")
    with pytest.raises(ConfigError, match="RAPAT_CORS_ORIGINS"):
        load_settings()
    monkeypatch.setenv("RAPAT_CORS_ALLOW_CREDENTIALS", "false")
    assert load_settings().http.cors_origins == ("*",)


@pytest.mark.parametrize("secret", [None, "change-me", "short"])
def test_production_refuses_missing_or_placeholder_secret(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    monkeypatch.setenv("RAPAT_ENV", "production")
    if secret is not None:
        monkeypatch.setenv("RAPAT_SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="RAPAT_SECRET_KEY"):
        load_settings()


def test_production_accepts_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPAT_ENV", "production")
    monkeypatch.setenv("RAPAT_SECRET_KEY", "x" * 16 + "9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    assert load_settings().auth.secret_key is not None


def test_secret_is_not_printed() -> None:
    settings = Settings(secret_key="a-very-secret-value-that-must-not-leak-0000")  # type: ignore[arg-type]
    assert "a-very-secret" not in repr(settings)


def test_production_refuses_the_mailbox_for_one_person(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPAT_ENV", "production")
    monkeypatch.setenv("RAPAT_SECRET_KEY", "x" * 16 + "9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    monkeypatch.setenv("RAPAT_DEV_MAILBOX_SHOW_ALL", "true")
    with pytest.raises(ConfigError, match="RAPAT_DEV_MAILBOX_SHOW_ALL"):
        load_settings()
    monkeypatch.setenv("RAPAT_ENV", "development")
    assert load_settings().dev_mailbox_show_all is True
