"""Rate limits on HTTP routes: ``dependencies=[Depends(rate_limit("auth.login", LOGIN, by="ip"))]``.

Every limited response carries ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and
``X-RateLimit-Reset`` (whole seconds until one more request fits); past the limit the
route answers 429 with ``Retry-After`` and the error envelope, code ``rate_limited``.

The limiter is read from ``request.app.state.rate_limiter``, which the app's lifespan sets.

Who is counted: the client IP (``request.client.host``; uvicorn resolves it from
X-Forwarded-For for trusted proxies only) or the signed-in user, ``request.state.user_id``,
which the authentication dependency sets. That dependency must therefore run first:
put it on the router, or before the rate limit in the route's ``dependencies``.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Literal

from fastapi import Request, Response

from rapat.domain.errors import RateLimited
from rapat.ratelimit import RateLimiter, RateLimitStatus, parse_rates

By = Literal["ip", "user", "ip_or_user"]


class RateLimitExceeded(RateLimited):
    """A refusal that also carries the X-RateLimit-* headers for the 429 response."""

    def __init__(self, scope: str, status: RateLimitStatus) -> None:
        seconds = max(1, math.ceil(status.reset_after))
        unit = "second" if seconds == 1 else "seconds"
        super().__init__(
            f"Too many requests; try again in {seconds} {unit}.",
            retry_after=status.reset_after,
            details={"limit": status.limit, "scope": scope},
        )
        self.headers = rate_limit_headers(status)


def rate_limit_headers(status: RateLimitStatus) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(status.limit),
        "X-RateLimit-Remaining": str(status.remaining),
        "X-RateLimit-Reset": str(math.ceil(status.reset_after)),
    }


def client_identity(request: Request, by: By) -> str:
    """The counted identity, tagged so an IP and a user id can never share a count.

    ``"user"`` and ``"ip_or_user"`` both fall back to the IP when nobody is signed in;
    ``"user"`` says the route is meant to be behind authentication.
    """
    user_id = getattr(request.state, "user_id", None)
    if by != "ip" and user_id is not None:
        return f"user:{user_id}"
    host = request.client.host if request.client is not None else "unknown"
    return f"ip:{host}"


def app_rate_limiter(request: Request) -> RateLimiter:
    limiter = getattr(request.app.state, "rate_limiter", None)
    if not isinstance(limiter, RateLimiter):
        raise RuntimeError("app.state.rate_limiter is not set: the lifespan must create it")
    return limiter


def rate_limit(
    scope: str, rate: str, *, by: By = "ip_or_user"
) -> Callable[[Request, Response], Awaitable[None]]:
    """A dependency counting each request to the route against ``rate`` under ``scope``."""
    parse_rates(rate)  # a malformed rate fails when the route is declared, not when called

    async def check_rate_limit(request: Request, response: Response) -> None:
        limiter = app_rate_limiter(request)
        status = await limiter.hit(scope, client_identity(request, by), rate)
        if not status.allowed:
            raise RateLimitExceeded(scope, status)
        headers = rate_limit_headers(status)
        response.headers.update(headers)
        # Kept for the error handlers too: a route that then fails (401, 422...) still tells
        # the client where it stands, and FastAPI drops `response` when a route raises.
        request.state.rate_limit_headers = headers

    return check_rate_limit
