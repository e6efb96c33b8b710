"""The rate limiting decisions that need no storage: parsing, combining rates, headers,
identities, and the refusal error."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from limits import WindowStats
from starlette.requests import Request

from rapat.api.rate_limit import (
    RateLimitExceeded,
    client_identity,
    rate_limit,
    rate_limit_headers,
)
from rapat.domain.errors import RateLimited
from rapat.ratelimit import RateLimitStatus, parse_rates, rates, tightest
from rapat.ratelimit.limiter import unlimited, window_status
from rapat.ratelimit.storage import limits_uri


def _status(
    remaining: int, reset_after: float, *, allowed: bool = True, limit: int = 10
) -> RateLimitStatus:
    return RateLimitStatus(
        allowed=allowed, limit=limit, remaining=remaining, reset_after=reset_after
    )


# Parsing


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("5/minute", [(5, 60)]),
        ("10 per 15 minutes", [(10, 900)]),
        ("3/15 minutes", [(3, 900)]),
        ("5/minute;20/hour", [(5, 60), (20, 3600)]),
    ],
)
def test_rates_parse_to_amount_and_window_seconds(
    rate: str, expected: list[tuple[int, int]]
) -> None:
    assert [(item.amount, item.get_expiry()) for item in parse_rates(rate)] == expected


def test_a_rate_is_parsed_once() -> None:
    assert parse_rates("7/minute") is parse_rates("7/minute")


@pytest.mark.parametrize("rate", ["", "five per minute", "5/fortnight", "5 minutes"])
def test_a_malformed_rate_is_refused(rate: str) -> None:
    with pytest.raises(ValueError, match="not a rate limit"):
        parse_rates(rate)


def test_a_malformed_rate_fails_when_the_route_is_declared() -> None:
    with pytest.raises(ValueError, match="not a rate limit"):
        rate_limit("auth.login", "5 a minute")


def test_every_rate_in_the_product_table_parses() -> None:
    table = [
        rates.LOGIN,
        rates.REGISTER,
        rates.FORGOT_PASSWORD,
        rates.VERIFY_EMAIL,
        rates.REFRESH,
        rates.API_DEFAULT,
    ]
    assert all(parse_rates(rate) for rate in table)
    assert len(parse_rates(rates.LOGIN)) == 2


# Combining several rates


def test_the_rate_with_fewest_requests_left_speaks_for_all() -> None:
    minute, hour = _status(4, 50.0, limit=5), _status(2, 3000.0, limit=20)
    assert tightest([minute, hour]) == hour


def test_on_a_tie_the_sooner_reset_speaks() -> None:
    assert tightest([_status(3, 900.0), _status(3, 60.0)]).reset_after == 60.0


def test_a_refusal_waits_for_the_slowest_refusing_rate() -> None:
    combined = tightest(
        [
            _status(0, 30.0, allowed=False, limit=5),
            _status(0, 1800.0, allowed=False, limit=20),
            _status(0, 5.0, limit=100),
        ]
    )
    assert combined == _status(0, 1800.0, allowed=False, limit=20)


def test_combining_nothing_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="no statuses"):
        tightest([])


def test_window_status_counts_from_now_and_never_goes_negative() -> None:
    (item,) = parse_rates("5/minute")
    status = window_status(
        item, WindowStats(reset_time=1030.5, remaining=2), allowed=True, now=1000
    )
    assert status == RateLimitStatus(allowed=True, limit=5, remaining=2, reset_after=30.5)
    late = window_status(item, WindowStats(reset_time=990.0, remaining=-1), allowed=False, now=1000)
    assert (late.remaining, late.reset_after) == (0, 0.0)


def test_an_uncounted_request_sees_the_tightest_rate_fully_available() -> None:
    status = unlimited(parse_rates("5/minute;20/hour"))
    assert status == RateLimitStatus(allowed=True, limit=5, remaining=5, reset_after=60.0)


# Storage URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "async+redis://127.0.0.1:6379/0"),
        ("rediss://cache.example:6380", "async+rediss://cache.example:6380"),
        ("unix:///run/redis.sock?db=1", "async+redis+unix:///run/redis.sock?db=1"),
    ],
)
def test_redis_urls_map_to_the_async_scheme(url: str, expected: str) -> None:
    assert limits_uri(url) == expected


def test_a_url_that_is_not_redis_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Redis URL"):
        limits_uri("memcached://127.0.0.1:11211")


# HTTP pieces


def test_headers_round_the_reset_up_to_whole_seconds() -> None:
    assert rate_limit_headers(_status(3, 12.01, limit=5)) == {
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "3",
        "X-RateLimit-Reset": "13",
    }


def test_the_refusal_says_when_to_retry_and_carries_the_headers() -> None:
    error = RateLimitExceeded("auth.login", _status(0, 41.2, allowed=False, limit=5))
    assert isinstance(error, RateLimited)
    assert error.message == "Too many requests; try again in 42 seconds."
    assert error.retry_after == 41.2
    assert error.details == {"limit": 5, "scope": "auth.login"}
    assert error.headers["X-RateLimit-Remaining"] == "0"


def test_the_refusal_never_says_zero_seconds() -> None:
    error = RateLimitExceeded("auth.login", _status(0, 0.2, allowed=False))
    assert error.message == "Too many requests; try again in 1 second."


def _request(host: str | None, user_id: Any = None) -> Request:
    scope: dict[str, Any] = {
        "type": "http",
        "headers": [],
        "client": (host, 5000) if host is not None else None,
        "state": {} if user_id is None else {"user_id": user_id},
    }
    return Request(scope)


@pytest.mark.parametrize(
    ("by", "user_id", "expected"),
    [
        ("ip", None, "ip:203.0.113.9"),
        ("ip", "u-1", "ip:203.0.113.9"),
        ("user", "u-1", "user:u-1"),
        ("user", None, "ip:203.0.113.9"),
        ("ip_or_user", "u-1", "user:u-1"),
        ("ip_or_user", None, "ip:203.0.113.9"),
    ],
)
def test_identity_is_the_user_when_signed_in_unless_counting_by_ip(
    by: Any, user_id: str | None, expected: str
) -> None:
    assert client_identity(_request("203.0.113.9", user_id), by) == expected


def test_a_request_without_a_client_address_still_has_an_identity() -> None:
    assert client_identity(_request(None), "ip") == "ip:unknown"


def test_a_uuid_user_id_becomes_text() -> None:
    user_id = UUID("6f1c2a3b-0000-4000-8000-000000000001")
    assert client_identity(_request("10.0.0.1", user_id), "user") == f"user:{user_id}"
