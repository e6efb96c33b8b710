from __future__ import annotations

import asyncio

from rapat.api.readiness import check_readiness


async def _ok() -> None:
    return None


async def _broken() -> None:
    raise ConnectionRefusedError("connection refused")


async def _slow() -> None:
    await asyncio.sleep(10)


async def test_all_ok() -> None:
    readiness = await check_readiness({"database": _ok, "cache": _ok})
    assert readiness.ready
    assert readiness.checks == {"database": "ok", "cache": "ok"}


async def test_failures_and_timeouts_are_named() -> None:
    readiness = await check_readiness(
        {"database": _ok, "cache": _broken, "broker": _slow}, limit_seconds=0.05
    )
    assert not readiness.ready
    assert readiness.failed == ["cache", "broker"]
    assert "ConnectionRefusedError" in readiness.checks["cache"]
    assert "timed out" in readiness.checks["broker"]
