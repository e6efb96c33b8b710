"""Join outcomes and the join-time histogram, as the metrics read them (decision 60)."""

from __future__ import annotations

from rapat.signaling import close_codes
from rapat.signaling.join_stats import JoinStats, unjoined_outcome


def test_a_join_closed_early_is_ours_the_clients_or_nobodys() -> None:
    assert unjoined_outcome(close_codes.TRY_AGAIN_LATER) == "failed"  # Redis or the DB down
    assert unjoined_outcome(close_codes.INTERNAL_ERROR) == "failed"
    for code in (close_codes.UNAUTHORISED, close_codes.FORBIDDEN, close_codes.ROOM_ENDED):
        assert unjoined_outcome(code) == "refused"
    assert unjoined_outcome(None) is None  # the client hung up during the join
    assert unjoined_outcome(close_codes.NORMAL) is None


def test_durations_fill_cumulative_buckets() -> None:
    stats = JoinStats()
    for seconds in (0.004, 0.01, 0.3, 42.0):
        stats.joined(seconds)
    stats.ended_unjoined(close_codes.TRY_AGAIN_LATER)
    stats.ended_unjoined(close_codes.FORBIDDEN)
    stats.ended_unjoined(None)
    buckets = dict(stats.cumulative_buckets())
    assert (buckets["0.01"], buckets["0.25"], buckets["0.5"], buckets["10"]) == (2, 2, 3, 3)
    assert buckets["+Inf"] == 4
    assert list(buckets)[-1] == "+Inf"
    assert stats.outcomes == {"joined": 4, "refused": 1, "failed": 1}
    assert stats.duration_sum == 0.004 + 0.01 + 0.3 + 42.0
