"""Wall-clock time in the forms RTP and RTCP carry it, from `time.time()` (aiortc's clock
goes through `datetime`, about a microsecond a call, paid per forwarded packet)."""

from __future__ import annotations

NTP_UNIX_OFFSET = 2_208_988_800  # seconds from 1900-01-01 (NTP's epoch) to 1970-01-01


def ntp_time(unix: float) -> int:
    """The 64-bit NTP timestamp (seconds in the high 32 bits, fraction in the low 32)."""
    return int((unix + NTP_UNIX_OFFSET) * 4_294_967_296)


def ntp_ms(unix: float) -> int:
    """Milliseconds since NTP's epoch: aiortc's arrival times."""
    return int((unix + NTP_UNIX_OFFSET) * 1000)


def abs_send_time(ntp: int) -> int:
    """The 24-bit abs-send-time header extension (6.18 fixed-point seconds)."""
    return (ntp >> 14) & 0xFFFFFF
