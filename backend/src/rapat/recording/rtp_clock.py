"""Maps a track's RTP timestamps to wall-clock time, so tracks recorded apart line up.

A sender report pairs the publisher's wall clock (NTP) with the RTP timestamp of the same
instant; every stream of one publisher shares that wall clock, which is what lip sync
relies on too. Until the first report arrives, the first packet's arrival time stands in.
The nominal clock rate is trusted between reports: each report re-anchors the mapping."""

from __future__ import annotations

from enum import Enum

from rapat.recording.wraparound import unwrap_timestamp

NTP_UNIX_OFFSET = 2_208_988_800  # seconds from 1900-01-01 (NTP's epoch) to 1970-01-01


class ClockSource(Enum):
    ARRIVAL = "arrival"
    SENDER_REPORT = "sender_report"


def ntp_to_unix(ntp: int) -> float:
    """Seconds since 1970 from a 64-bit NTP timestamp (32.32 fixed point)."""
    return ntp / 4_294_967_296 - NTP_UNIX_OFFSET


class RtpClock:
    def __init__(self, clock_rate: int) -> None:
        self.clock_rate = clock_rate
        self._last: int | None = None  # the last extended timestamp seen
        self._anchor: tuple[int, float] | None = None  # (extended RTP timestamp, unix time)
        self.source = ClockSource.ARRIVAL

    def extend(self, timestamp: int) -> int:
        """The 64-bit timestamp of a 32-bit one, nearest to the last seen (wraps forward)."""
        extended = timestamp if self._last is None else unwrap_timestamp(timestamp, self._last)
        self._last = extended
        return extended

    @property
    def anchored(self) -> bool:
        return self._anchor is not None

    def on_arrival(self, extended: int, arrival: float) -> None:
        """The fallback anchor: the first packet's arrival, until a sender report comes."""
        if self._anchor is None:
            self._anchor = (extended, arrival)

    def on_sender_report(self, ntp_timestamp: int, rtp_timestamp: int) -> None:
        extended = self.extend(rtp_timestamp)
        self._anchor = (extended, ntp_to_unix(ntp_timestamp))
        self.source = ClockSource.SENDER_REPORT

    def wall_time(self, extended: int) -> float | None:
        """Unix time of an extended RTP timestamp; None before any packet or report."""
        if self._anchor is None:
            return None
        anchor_rtp, anchor_unix = self._anchor
        return anchor_unix + (extended - anchor_rtp) / self.clock_rate

    def reset(self) -> None:
        """The sender started over: its timestamps and reports no longer relate to ours."""
        self._last = None
        self._anchor = None
        self.source = ClockSource.ARRIVAL
