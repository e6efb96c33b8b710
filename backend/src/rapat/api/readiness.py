"""Readiness probes: one async check per configured dependency, each bounded in time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

Check = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    checks: dict[str, str]

    @property
    def failed(self) -> list[str]:
        return [name for name, state in self.checks.items() if state != "ok"]


async def _run(check: Check, limit_seconds: float) -> str:
    try:
        async with asyncio.timeout(limit_seconds):
            await check()
    except TimeoutError:
        return f"timed out after {limit_seconds:g}s"
    except Exception as error:  # any failure means "not ready"; report it, don't raise
        return f"{type(error).__name__}: {error}"[:300]
    return "ok"


async def check_readiness(
    checks: Mapping[str, Check], limit_seconds: float = CHECK_TIMEOUT_SECONDS
) -> Readiness:
    names = list(checks)
    results = await asyncio.gather(*(_run(checks[name], limit_seconds) for name in names))
    states = dict(zip(names, results, strict=True))
    return Readiness(ready=all(state == "ok" for state in results), checks=states)
