"""Webhook signatures and which URLs may receive webhooks."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from rapat.domain.errors import InvalidInput
from rapat.services.webhook_signing import (
    check_target,
    check_url_shape,
    is_public_address,
    sign,
    verify,
)


def test_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    body = b'{"event":"room.ended"}'
    header = sign("s3cret", 1_700_000_000, body)
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert verify("s3cret", header, body, now=1_700_000_100)
    assert not verify("s3cret", header, body + b" ", now=1_700_000_100)
    assert not verify("other", header, body, now=1_700_000_100)
    assert not verify("s3cret", header, body, now=1_700_001_000)  # too old: a replay
    assert not verify("s3cret", "garbage", body, now=1_700_000_000)


def test_url_shapes() -> None:
    assert check_url_shape("https://hooks.example.com/x") == ("hooks.example.com", 443)
    assert check_url_shape("http://example.com:8080/x") == ("example.com", 8080)
    for bad in (
        "ftp://x/y",
        "example.com/x",
        "http://u:p@example.com/",
        "http://a b/",
        "http://example.com:99999/",
    ):
        with pytest.raises(InvalidInput):
            check_url_shape(bad)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),  # cloud metadata
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("2606:4700:4700::1111", True),
        ("224.0.0.1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


async def test_private_targets_are_refused_unless_allowed() -> None:
    with pytest.raises(InvalidInput) as refused:
        await check_target("http://127.0.0.1:9000/hook", allow_private=False)
    assert refused.value.code == "private_webhook_target"
    with pytest.raises(InvalidInput) as localhost:
        await check_target("http://localhost/hook", allow_private=False)
    assert localhost.value.code == "private_webhook_target"
    await check_target("http://127.0.0.1:9000/hook", allow_private=True)
