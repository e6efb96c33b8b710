from __future__ import annotations

import base64
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

import jwt
import pytest

from rapat.api.middleware.security_headers import content_security_policy
from rapat.security.encryption import DecryptionError, Encryptor, derive_key, parse_keys
from rapat.security.passwords import PasswordHasher, check_password_policy
from rapat.security.secret_key import SecretKeyFileError, resolve_secret_key
from rapat.security.tokens import AccessTokens, InvalidToken, hash_secret, new_secret

SECRET = "unit-test-secret-" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short", "too_short"),
        ("x" * 129, "too_long"),
        ("password123", "too_common"),
        ("aaaaaaaaaaaa", "too_common"),
        ("ababababab12", None),
        ("anastasia-loves-rust", "contains_email"),
        ("correct horse battery staple", None),
    ],
)
def test_password_policy(password: str, code: str | None) -> None:
    violation = check_password_policy(password, "anastasia@example.com")
    assert (violation.code if violation else None) == code


def test_hash_and_verify_including_long_passwords() -> None:
    hasher = PasswordHasher(rounds=4)
    long_one = "pass phrase " * 10  # 120 characters, over bcrypt's 72 bytes
    hashed = hasher.hash(long_one)
    assert hashed.startswith("$2b$04$")
    assert hasher.verify(long_one, hashed)
    assert not hasher.verify(long_one[:72], hashed)  # nothing is cut off
    assert not hasher.verify("wrong", hashed)
    assert not hasher.verify(long_one, None)  # the decoy never matches
    assert not hasher.verify(long_one, "not a bcrypt hash")
    assert hasher.needs_rehash(hashed) is False
    assert PasswordHasher(rounds=5).needs_rehash(hashed) is True


def test_encryption_round_trip_and_tamper_detection() -> None:
    encryptor = Encryptor({"k1": derive_key(SECRET)})
    sealed = encryptor.encrypt("203.0.113.7", context="session-ip")
    assert sealed.startswith("v1.k1.")
    assert "203.0.113.7" not in sealed
    assert encryptor.encrypt("203.0.113.7", context="session-ip") != sealed  # fresh nonce
    assert encryptor.decrypt(sealed, context="session-ip") == "203.0.113.7"
    with pytest.raises(DecryptionError):
        encryptor.decrypt(sealed, context="another-purpose")
    tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(DecryptionError):
        encryptor.decrypt(tampered, context="session-ip")
    with pytest.raises(DecryptionError):
        encryptor.decrypt("plain text", context="session-ip")


def test_key_rotation_keeps_old_data_readable() -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    old = Encryptor({"2025": old_key})
    sealed_before = old.encrypt("198.51.100.1")
    rotated = Encryptor({"2026": new_key, "2025": old_key})
    assert rotated.decrypt(sealed_before) == "198.51.100.1"
    assert rotated.key_id_of(rotated.encrypt("x")) == "2026"
    with pytest.raises(DecryptionError):
        Encryptor({"2026": new_key}).decrypt(sealed_before)


def test_parse_keys() -> None:
    key = base64.b64encode(b"k" * 32).decode()
    assert list(parse_keys(f"a:{key}, b:{key}")) == ["a", "b"]
    for bad in (
        "",
        "nokey",
        f"a:{key},a:{key}",
        "a:not-base64!",
        f"a:{base64.b64encode(b'x').decode()}",
    ):
        with pytest.raises(ValueError, match=r".+"):
            parse_keys(bad)


def test_access_tokens_verify_and_refuse_forgeries() -> None:
    tokens = AccessTokens(SECRET, "HS256", ttl_seconds=3600)
    user_id, session_id = uuid.uuid4(), uuid.uuid4()
    claims = tokens.verify(tokens.issue(user_id, session_id))
    assert (claims.user_id, claims.session_id) == (user_id, session_id)

    with pytest.raises(InvalidToken):
        AccessTokens("another-secret-" + "0123456789abcdef" * 4, "HS256", 3600).verify(
            tokens.issue(user_id, session_id)
        )
    expired = tokens.issue(user_id, session_id, now=datetime.now(UTC) - timedelta(hours=2))
    with pytest.raises(InvalidToken):
        tokens.verify(expired)
    payload = {
        "sub": str(user_id),
        "sid": str(session_id),
        "jti": "x",
        "typ": "access",
        "iat": 0,
        "exp": 4102444800,
    }
    unsigned = jwt.encode(payload, key=None, algorithm="none")
    with pytest.raises(InvalidToken):
        tokens.verify(unsigned)
    other_algorithm = jwt.encode(payload, SECRET, algorithm="HS512")
    with pytest.raises(InvalidToken):
        tokens.verify(other_algorithm)
    refresh_kind = jwt.encode({**payload, "typ": "refresh"}, SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken):
        tokens.verify(refresh_kind)
    missing_sid = jwt.encode({k: v for k, v in payload.items() if k != "sid"}, SECRET, "HS256")
    with pytest.raises(InvalidToken):
        tokens.verify(missing_sid)


def test_secrets_are_random_and_hashed() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert len(first) >= 43
    assert len(hash_secret(first)) == 64
    assert hash_secret(first) == hash_secret(first)


def test_secret_key_is_generated_once_in_development(tmp_path: Path) -> None:
    assert resolve_secret_key("configured", tmp_path, persist=True) == "configured"
    first = resolve_secret_key(None, tmp_path / "data", persist=True)
    assert resolve_secret_key(None, tmp_path / "data", persist=True) == first
    assert oct((tmp_path / "data" / "secret.key").stat().st_mode & 0o777) == "0o600"
    assert resolve_secret_key(None, tmp_path / "other", persist=False) != first
    assert not (tmp_path / "other").exists()


def _resolve_in_child(data_dir: str) -> str:
    return resolve_secret_key(None, Path(data_dir), persist=True)


def test_processes_started_together_agree_on_one_whole_key(tmp_path: Path) -> None:
    # Found in the field: one process created the file, another read it before the key was
    # written, and every login on that process failed ("HMAC key must not be empty").
    for attempt in range(5):
        data_dir = str(tmp_path / f"data-{attempt}")
        with ProcessPoolExecutor(max_workers=6, mp_context=get_context("fork")) as pool:
            keys = list(pool.map(_resolve_in_child, [data_dir] * 12))
        assert len(set(keys)) == 1
        assert len(keys[0]) == 64
        assert os.listdir(data_dir) == ["secret.key"]  # no temporary file left behind


def test_a_damaged_key_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("")
    with pytest.raises(SecretKeyFileError, match="Delete it"):
        resolve_secret_key(None, tmp_path, persist=True)


def test_the_policy_names_the_other_nodes_signaling_origins() -> None:
    policy = content_security_policy({"wss://node2.example.com", "ws://127.0.0.1:8082"})
    connect = [part for part in policy.split("; ") if part.startswith("connect-src")]
    assert connect == ["connect-src 'self' ws://127.0.0.1:8082 wss://node2.example.com"]
    assert "connect-src 'self'; " in content_security_policy()
