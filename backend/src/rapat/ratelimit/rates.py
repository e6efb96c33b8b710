"""The product's rate limits, in one place, and the parser for their string syntax.

A rate is written in the `limits` syntax ("5/minute", "10 per 15 minutes"); several rates
joined with ";" must all pass. Who a limit counts (client IP or user) is chosen where the
route uses it; the comments say what each route is expected to pick.
"""

from __future__ import annotations

from functools import lru_cache

from limits import RateLimitItem, parse_many

# Per IP. The hourly cap stops slow guessing that the per-minute cap alone would allow.
LOGIN = "5/minute;20/hour"
# Per IP.
REGISTER = "5/hour"
# Per IP: every request sends an email.
FORGOT_PASSWORD = "3/15 minutes"  # noqa: S105 (a rate, not a password)
# Per IP or user: every request sends an email.
VERIFY_EMAIL = "10/hour"
# Per IP: a refresh token is not a user until it has been checked.
REFRESH = "30/minute"
# Per user, for the authenticated API as a whole.
API_DEFAULT = "600/minute"


@lru_cache(maxsize=256)
def parse_rates(rate: str) -> tuple[RateLimitItem, ...]:
    """The rates in ``rate``; raises ValueError when it is not valid syntax.

    Routes pass the same few strings on every request, so each is parsed once.
    """
    try:
        return tuple(parse_many(rate))
    except ValueError as exc:
        raise ValueError(f"not a rate limit: {rate!r} (expected e.g. '5/minute')") from exc
