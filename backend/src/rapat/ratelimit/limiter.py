"""Counts requests per (scope, identity) against one or more rates.

The strategy is the moving window: a request counts for exactly one window length after
it was made. A fixed window would let a client spend a whole quota at the end of one
window and another at the start of the next (twice the rate in a moment), which is what a
password guesser would do; the cost, one stored timestamp per counted request, is small
at our rates.

When the storage fails (Redis down), requests are let through and a warning is logged:
the default limit guards every API call, so failing closed would turn a cache outage
into a full outage.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from limits import RateLimitItem, WindowStats
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from rapat.observability.logging import get_logger
from rapat.ratelimit.rates import parse_rates
from rapat.ratelimit.storage import open_storage

PING_TIMEOUT = 2.0
DEFAULT_KEY_PREFIX = "rapat:ratelimit:"

_log = get_logger("rapat.ratelimit")


@dataclass(frozen=True, slots=True)
class RateLimitStatus:
    """Where a caller stands after one request.

    ``reset_after`` is the number of seconds until the oldest counted request leaves the
    window, so one more request fits; for a refused request it is when to retry.
    """

    allowed: bool
    limit: int
    remaining: int
    reset_after: float


def tightest(statuses: Sequence[RateLimitStatus]) -> RateLimitStatus:
    """One status for several rates: a refusal waits for the slowest refusing rate;
    otherwise the rate with the fewest requests left (the soonest reset on a tie)."""
    if not statuses:
        raise ValueError("no statuses to combine")
    refused = [status for status in statuses if not status.allowed]
    if refused:
        return max(refused, key=lambda status: status.reset_after)
    return min(statuses, key=lambda status: (status.remaining, status.reset_after))


def window_status(
    item: RateLimitItem, stats: WindowStats, *, allowed: bool, now: float
) -> RateLimitStatus:
    return RateLimitStatus(
        allowed=allowed,
        limit=item.amount,
        remaining=max(0, stats.remaining),
        reset_after=max(0.0, stats.reset_time - now),
    )


def unlimited(items: Sequence[RateLimitItem]) -> RateLimitStatus:
    """What a request that nothing counted is told: every rate fully available."""
    return tightest(
        [
            RateLimitStatus(True, item.amount, item.amount, float(item.get_expiry()))
            for item in items
        ]
    )


class RateLimiter:
    """Hits counted in memory (``storage_url=None``) or in Redis under ``key_prefix``.

    Disabled, it counts nothing and allows everything, reporting every rate as fully
    available (so clients see the same headers in every environment).
    """

    def __init__(
        self,
        storage_url: str | None = None,
        *,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        enabled: bool = True,
    ) -> None:
        self._storage, self._release = open_storage(storage_url, key_prefix)
        self._strategy = MovingWindowRateLimiter(self._storage)
        self.enabled = enabled
        self.backend = "memory" if storage_url is None else "redis"

    async def hit(self, scope: str, identity: str, rate: str) -> RateLimitStatus:
        """Count one request by ``identity`` against every rate in ``rate``.

        A refused request is not counted, in any of the rates.
        """
        items = parse_rates(rate)
        if not self.enabled:
            return unlimited(items)
        try:
            return await self._hit(items, scope, identity)
        except StorageError as exc:
            _log.warning(
                "rate_limit_storage_failed",
                scope=scope,
                backend=self.backend,
                error=str(exc.storage_error),
            )
            return unlimited(items)

    async def _hit(
        self, items: Sequence[RateLimitItem], scope: str, identity: str
    ) -> RateLimitStatus:
        if len(items) > 1:
            # Look before counting: one rate's refusal must not use up the others.
            before = await self._statuses(items, scope, identity)
            if any(status.remaining < 1 for status in before):
                return tightest([replace(s, allowed=s.remaining >= 1) for s in before])
        allowed = await asyncio.gather(
            *(self._strategy.hit(item, scope, identity) for item in items)
        )
        return tightest(await self._statuses(items, scope, identity, allowed))

    async def _statuses(
        self,
        items: Sequence[RateLimitItem],
        scope: str,
        identity: str,
        allowed: Sequence[bool] | None = None,
    ) -> list[RateLimitStatus]:
        stats = await asyncio.gather(
            *(self._strategy.get_window_stats(item, scope, identity) for item in items)
        )
        now = time.time()
        verdicts = allowed if allowed is not None else [True] * len(items)
        return [
            window_status(item, window, allowed=verdict, now=now)
            for item, window, verdict in zip(items, stats, verdicts, strict=True)
        ]

    async def clear(self, scope: str, identity: str, rate: str) -> None:
        """Forget what ``identity`` has used of ``rate`` in ``scope``."""
        for item in parse_rates(rate):
            await self._strategy.clear(item, scope, identity)

    async def reset(self) -> None:
        """Forget every count under this limiter's prefix (tests and operators only)."""
        await self._storage.reset()

    async def ping(self) -> bool:
        """True when the storage answers in time; never raises (for health checks)."""
        try:
            async with asyncio.timeout(PING_TIMEOUT):
                return bool(await self._storage.check())
        except (StorageError, OSError, TimeoutError):
            return False

    async def close(self) -> None:
        await self._release()
