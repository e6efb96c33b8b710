"""The tests' one poll loop: it returns as soon as the condition holds, fails saying what
it waited for and how long, and lets the condition's own exceptions through."""

from __future__ import annotations

import time

import pytest

from tests.waiting import wait_until, wait_until_sync


class Countdown:
    """Falsy values until the n-th call, then the call's number."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls = 0

    def __call__(self) -> int | list[int]:
        self.calls += 1
        return self.calls if self.calls >= self.n else []


async def test_returns_the_first_truthy_value_as_soon_as_it_holds() -> None:
    condition = Countdown(3)
    started = time.monotonic()
    assert await wait_until(condition, 5, "the third call", interval=0.01) == 3
    assert time.monotonic() - started < 1
    assert condition.calls == 3


async def test_a_condition_that_holds_already_is_checked_once_without_sleeping() -> None:
    condition = Countdown(1)
    started = time.monotonic()
    assert await wait_until(condition, 5, "the first call", interval=10) == 1
    assert time.monotonic() - started < 1
    assert condition.calls == 1


async def test_an_async_condition_is_awaited() -> None:
    countdown = Countdown(2)

    async def condition() -> int | list[int]:
        return countdown()

    assert await wait_until(condition, 5, "the second call", interval=0.01) == 2


async def test_on_timeout_it_says_what_it_waited_for_how_long_and_what_it_saw() -> None:
    condition = Countdown(10**9)
    started = time.monotonic()
    with pytest.raises(AssertionError) as failed:
        await wait_until(condition, 0.1, "the sky to fall", interval=0.01)
    assert time.monotonic() - started >= 0.1
    assert str(failed.value) == "timed out after 0.1 s waiting for the sky to fall (last value: [])"
    assert condition.calls > 2  # polled meanwhile, and once more at the deadline


async def test_a_false_or_none_last_value_is_not_repeated_and_a_message_can_be_computed() -> None:
    seen: list[str] = []
    with pytest.raises(AssertionError) as failed:
        await wait_until(lambda: False, 0.02, lambda: f"an event; got {seen}", interval=0.01)
    assert str(failed.value) == "timed out after 0.02 s waiting for an event; got []"
    with pytest.raises(AssertionError, match=r"^timed out after 0\.02 s waiting for x$"):
        await wait_until(lambda: None, 0.02, "x", interval=0.01)


async def test_an_exception_from_the_condition_ends_the_wait_at_once() -> None:
    calls = 0

    async def condition() -> bool:
        nonlocal calls
        calls += 1
        raise ConnectionRefusedError("not up")

    with pytest.raises(ConnectionRefusedError, match="not up"):
        await wait_until(condition, 5, "never")
    assert calls == 1


def test_the_sync_variant_returns_as_soon_as_it_holds() -> None:
    condition = Countdown(3)
    started = time.monotonic()
    assert wait_until_sync(condition, 5, "the third call", interval=0.01) == 3
    assert time.monotonic() - started < 1
    assert condition.calls == 3


def test_the_sync_variant_fails_with_the_message_on_timeout() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError) as failed:
        wait_until_sync(lambda: 0, 0.1, "the inbox to fill", interval=0.01)
    assert time.monotonic() - started >= 0.1
    assert (
        str(failed.value) == "timed out after 0.1 s waiting for the inbox to fill (last value: 0)"
    )


def test_the_sync_variant_lets_the_conditions_exception_through() -> None:
    def condition() -> bool:
        raise KeyError("gone")

    with pytest.raises(KeyError, match="gone"):
        wait_until_sync(condition, 5, "never")
