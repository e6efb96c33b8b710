"""Waiting for a condition in tests: the one poll loop, instead of a hand-rolled one per file.

``wait_until`` (in a coroutine) and ``wait_until_sync`` (in a plain test, e.g. one driving a
``TestClient``) check ``condition`` at once, then every ``interval`` seconds, and once more
at the deadline; they return the first truthy value it gives. When ``timeout`` seconds pass
without one, they raise ``AssertionError`` naming what was awaited (``message``, or what
``message()`` returns then), for how long, and the last value seen. An exception the
condition raises is not caught: it ends the wait at once.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast, overload

T = TypeVar("T")

Message = str | Callable[[], str]

INTERVAL = 0.02


@overload
async def wait_until(
    condition: Callable[[], Awaitable[T | None]],
    timeout: float,  # noqa: ASYNC109 -- a deadline for the polls, named in the failure
    message: Message,
    *,
    interval: float = ...,
) -> T: ...


@overload
async def wait_until(
    condition: Callable[[], T | None],
    timeout: float,  # noqa: ASYNC109
    message: Message,
    *,
    interval: float = ...,
) -> T: ...


async def wait_until(
    condition: Callable[[], T | None] | Callable[[], Awaitable[T | None]],
    timeout: float,  # noqa: ASYNC109
    message: Message,
    *,
    interval: float = INTERVAL,
) -> T:
    """Poll ``condition`` (a function or a coroutine function) until it returns a truthy
    value, sleeping with ``asyncio.sleep`` in between so the event loop runs meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return cast("T", value)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(_timed_out(message, timeout, value))
        await asyncio.sleep(min(interval, remaining))


def wait_until_sync(
    condition: Callable[[], T | None],
    timeout: float,
    message: Message,
    *,
    interval: float = INTERVAL,
) -> T:
    """``wait_until`` for code that is not in a coroutine: sleeps with ``time.sleep``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(_timed_out(message, timeout, value))
        time.sleep(min(interval, remaining))


def _timed_out(message: Message, timeout: float, last: object) -> str:
    what = message() if callable(message) else message
    text = f"timed out after {timeout:g} s waiting for {what}"
    if last is None or isinstance(last, bool):
        return text  # nothing more to tell than that it did not hold
    return f"{text} (last value: {last!r})"
