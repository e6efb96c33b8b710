"""The SFU's clock conversions agree with aiortc's (which the receivers and sender reports
around them still use) and with the wire formats."""

from __future__ import annotations

import datetime

from aiortc import clock

from rapat.sfu.rtptime import abs_send_time, ntp_ms, ntp_time


def test_ntp_time_matches_aiortcs_datetime_clock() -> None:
    moment = datetime.datetime(2026, 11, 24, 18, 0, 0, 250_000, tzinfo=datetime.UTC)
    ours = ntp_time(moment.timestamp())
    assert ours >> 32 == clock.datetime_to_ntp(moment) >> 32
    assert abs(ours - clock.datetime_to_ntp(moment)) < 1 << 12  # under a microsecond


def test_arrival_milliseconds_match_aiortcs() -> None:
    moment = datetime.datetime(2026, 11, 24, 18, 0, 1, 999_000, tzinfo=datetime.UTC)
    delta = moment - clock.NTP_EPOCH
    assert ntp_ms(moment.timestamp()) == int(delta.total_seconds() * 1000)


def test_abs_send_time_is_six_point_eighteen_seconds() -> None:
    ntp = (5 << 32) | (1 << 31)  # 5.5 s
    assert abs_send_time(ntp) == (5 << 18) | (1 << 17)
    assert abs_send_time((64 << 32) + ntp) == abs_send_time(ntp)  # wraps every 64 s
