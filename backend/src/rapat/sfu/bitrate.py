"""The bitrate a publisher is asked to respect: what its slowest useful subscriber can take.

Subscribers report their estimate in REMB; the publisher is told the lowest of them (and of
the SFU's own estimate of the publisher's uplink), within bounds. A subscriber that reports
less than the floor is not allowed to drag everyone below a usable picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BitrateBounds:
    floor: int = 150_000
    ceiling: int = 2_500_000
    change: float = 0.1  # tell the publisher only about changes of at least 10 %


def target_bitrate(
    subscriber_estimates: Iterable[int | None], uplink: int | None, bounds: BitrateBounds
) -> int | None:
    """None while nobody has reported anything."""
    known = [b for b in subscriber_estimates if b is not None]
    if uplink is not None:
        known.append(uplink)
    if not known:
        return None
    return max(bounds.floor, min(bounds.ceiling, *known))


def worth_sending(previous: int | None, new: int, bounds: BitrateBounds) -> bool:
    return previous is None or abs(new - previous) >= bounds.change * previous
