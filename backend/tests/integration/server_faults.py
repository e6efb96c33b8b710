"""Asserting that the server logged no fault: structlog events are captured directly
(by default they are printed, not sent to the standard library's logging, so `caplog`
alone never sees them)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from structlog.testing import capture_logs

# Logged at warning level or above when a connection or its clean-up failed.
FAULT_EVENTS = frozenset({"signaling_failed", "user_channel_failed", "signaling_cleanup_failed"})


@contextmanager
def no_server_faults(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails if the server logs an error (structlog or the standard library) meanwhile."""
    with capture_logs() as logs:
        yield
    faults = [
        entry
        for entry in logs
        if entry["log_level"] in {"error", "exception", "critical"}
        or entry["event"] in FAULT_EVENTS
    ]
    assert faults == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
