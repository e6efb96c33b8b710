"""TURN REST-API credentials and the ICE server list built from RAPAT_STUN_*/RAPAT_TURN_*."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from rapat.config import ConfigError, TurnConfig, load_settings
from rapat.services.turn import IceServer, IceServerIssuer, turn_credential

USER = "4f8c5a1e-0000-4000-8000-000000000001"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(str(tmp_path))  # no stray .env file


def test_credential_matches_an_independent_hmac_sha1() -> None:
    # Expected value from `openssl dgst -sha1 -hmac north-wind-secret -binary | base64`.
    issued = turn_credential("north-wind-secret", USER, 1_700_000_000)
    assert issued.username == f"1700000000:{USER}"
    assert issued.credential == "5h4FNRC0n6PuUC6atZxF5unFFDM="
    assert issued.expires_at == 1_700_000_000


def test_credential_depends_on_secret_user_and_expiry() -> None:
    base = turn_credential("secret-one", USER, 1000).credential
    assert turn_credential("secret-two", USER, 1000).credential != base
    assert turn_credential("secret-one", USER + "x", 1000).credential != base
    assert turn_credential("secret-one", USER, 1001).credential != base
    digest = hmac.new(b"secret-one", f"1000:{USER}".encode(), hashlib.sha1).digest()
    assert base64.b64decode(base) == digest


def test_credential_refuses_an_empty_secret_or_a_colon_in_the_user() -> None:
    with pytest.raises(ValueError, match="secret is empty"):
        turn_credential("", USER, 1000)
    with pytest.raises(ValueError, match="contains ':'"):
        turn_credential("s", "a:b", 1000)


def config(**changes: object) -> TurnConfig:
    values: dict[str, object] = {
        "stun_urls": ("stun:turn.example.com:3478",),
        "turn_urls": ("turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349"),
        "secret": "north-wind-secret",
        "ttl": 600,
    }
    values.update(changes)
    return TurnConfig(**values)  # type: ignore[arg-type]


def test_issuer_lists_stun_then_turn_with_a_credential_expiring_after_ttl() -> None:
    issued = IceServerIssuer(config(), clock=lambda: 1_700_000_000.7).issue(USER)
    assert issued.ttl == 600
    assert issued.expires_at == 1_700_000_600
    stun, turn = issued.servers
    assert stun == IceServer(("stun:turn.example.com:3478",))
    assert turn.urls == ("turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349")
    assert turn.username == f"1700000600:{USER}"
    assert turn.credential == turn_credential("north-wind-secret", USER, 1_700_000_600).credential


def test_issuer_without_servers_gives_an_empty_list() -> None:
    issued = IceServerIssuer(config(stun_urls=(), turn_urls=(), secret=None)).issue(USER)
    assert issued.servers == ()
    assert issued.expires_at is None


def test_issuer_with_stun_only_gives_no_credential() -> None:
    issued = IceServerIssuer(config(turn_urls=())).issue(USER)
    assert issued.servers == (IceServer(("stun:turn.example.com:3478",)),)
    assert issued.expires_at is None


# --- configuration -------------------------------------------------------------------------


def test_settings_split_and_check_the_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPAT_STUN_URLS", "stun:a.example:3478, stuns:b.example")
    monkeypatch.setenv("RAPAT_TURN_URLS", "turn:a.example:3478?transport=udp")
    monkeypatch.setenv("RAPAT_TURN_SECRET", "north-wind-secret")
    monkeypatch.setenv("RAPAT_TURN_TTL", "3600")
    turn = load_settings().turn
    assert turn.stun_urls == ("stun:a.example:3478", "stuns:b.example")
    assert turn.turn_urls == ("turn:a.example:3478?transport=udp",)
    assert turn.secret == "north-wind-secret"
    assert turn.ttl == 3600


def test_defaults_have_no_servers() -> None:
    turn = load_settings().turn
    assert (turn.stun_urls, turn.turn_urls, turn.secret, turn.ttl) == ((), (), None, 86400)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RAPAT_STUN_URLS", "turn:a.example", "RAPAT_STUN_URLS: 'turn:a.example' is not a stun:"),
        ("RAPAT_TURN_URLS", "http://a.example", "RAPAT_TURN_URLS: 'http://a.example' is not"),
        ("RAPAT_TURN_URLS", "turn:", "RAPAT_TURN_URLS: 'turn:' is not"),
        ("RAPAT_TURN_TTL", "10", "RAPAT_TURN_TTL"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv("RAPAT_TURN_SECRET", "north-wind-secret")
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_turn_urls_need_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPAT_TURN_URLS", "turn:a.example")
    with pytest.raises(ConfigError, match="RAPAT_TURN_SECRET: RAPAT_TURN_URLS needs"):
        load_settings()
    monkeypatch.setenv("RAPAT_TURN_SECRET", "")
    with pytest.raises(ConfigError, match="RAPAT_TURN_SECRET"):
        load_settings()


@pytest.mark.parametrize("secret", ["change-me", "short-but-random-8f2a"])
def test_production_refuses_a_placeholder_or_short_turn_secret(
    monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("RAPAT_ENV", "production")
    monkeypatch.setenv("RAPAT_SECRET_KEY", "k" * 20 + "8f2a9c1d0e7b6a5f4c3d")
    monkeypatch.setenv("RAPAT_TURN_URLS", "turn:a.example")
    monkeypatch.setenv("RAPAT_TURN_SECRET", secret)
    with pytest.raises(ConfigError, match="RAPAT_TURN_SECRET: production needs"):
        load_settings()
    monkeypatch.setenv("RAPAT_TURN_SECRET", "3f" * 16)
    assert load_settings().turn.secret == "3f" * 16
