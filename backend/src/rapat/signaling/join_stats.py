"""How joins went on this node: plain counts the metrics read at each scrape. A join runs
from the socket's accept to `room_state` being queued (authentication, admission, the
room's live state read); its outcome is `joined`, `refused` (the client's fault: a bad
token, a room that is not open to them) or `failed` (ours: a dependency down, a bug)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from rapat.signaling import close_codes

# Seconds; a join is a few database and Redis round trips, so most fall under 100 ms.
JOIN_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
OUTCOMES = ("joined", "refused", "failed")
# Joins that end with these failed on the server's side (a dependency down, a bug).
_OUR_FAULT = frozenset({close_codes.INTERNAL_ERROR, close_codes.TRY_AGAIN_LATER})


def unjoined_outcome(close_code: int | None) -> Literal["refused", "failed"] | None:
    """How a connection that closed before room_state counts: failed on our side,
    refused (a 4xxx code: the client's token, rights, the room), or not at all (the
    client went away by itself)."""
    if close_code in _OUR_FAULT:
        return "failed"
    if close_code is not None and close_code >= 4000:
        return "refused"
    return None


@dataclass
class JoinStats:
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    # per bucket of JOIN_BUCKETS, then one for longer: joins that took that long
    durations: list[int] = field(default_factory=lambda: [0] * (len(JOIN_BUCKETS) + 1))
    duration_sum: float = 0.0

    def joined(self, seconds: float) -> None:
        self.outcomes["joined"] += 1
        self.durations[bisect.bisect_left(JOIN_BUCKETS, seconds)] += 1
        self.duration_sum += seconds

    def ended_unjoined(self, close_code: int | None) -> None:
        outcome = unjoined_outcome(close_code)
        if outcome is not None:
            self.outcomes[outcome] += 1

    def failed(self) -> None:
        self.outcomes["failed"] += 1

    def cumulative_buckets(self) -> list[tuple[str, int]]:
        """Prometheus' buckets: (upper bound, joins at most that long), +Inf last."""
        bounds = [*(f"{bound:g}" for bound in JOIN_BUCKETS), "+Inf"]
        total, buckets = 0, []
        for bound, count in zip(bounds, self.durations, strict=True):
            total += count
            buckets.append((bound, total))
        return buckets
