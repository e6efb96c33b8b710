"""Exponential backoff with jitter, shared by job retries and webhook deliveries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int
    base_delay: float
    max_delay: float

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_delay <= 0 or self.max_delay <= 0:
            raise ValueError("max_attempts must be >= 1 and delays positive")


def backoff_delay(policy: RetryPolicy, failed_attempts: int, jitter: float) -> float:
    """Seconds to wait after ``failed_attempts`` failures: base * 2^(n-1), capped, then
    scaled into [50 %, 100 %] by ``jitter`` in [0, 1) so retries of a burst spread out."""
    if failed_attempts < 1:
        raise ValueError("failed_attempts must be at least 1")
    if not 0 <= jitter < 1:
        raise ValueError("jitter must be in [0, 1)")
    exponent = min(failed_attempts - 1, 62)  # 2**62 already exceeds any cap
    raw = min(policy.base_delay * float(2**exponent), policy.max_delay)
    return raw * (0.5 + jitter / 2)
