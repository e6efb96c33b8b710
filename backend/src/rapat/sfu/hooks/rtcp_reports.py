"""RTCP reports on one timer per transport.

aiortc runs a task per receiver and per sender that wakes every second to send that
stream's report in a datagram of its own; the forwarding receivers and senders instead
report on their transport's `ReportTimer`, which packs every report due into compound
packets.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref

from aiortc.rtcdtlstransport import RTCDtlsTransport

from rapat.sfu.hooks.rtp_link import send_srtp
from rapat.sfu.report_timer import Reporter, ReportTimer

_report_timers: weakref.WeakKeyDictionary[RTCDtlsTransport, ReportTimer] = (
    weakref.WeakKeyDictionary()
)


async def report_until_cancelled(reporter: Reporter, dtls: RTCDtlsTransport) -> None:
    """Report on the transport's timer until the calling task is cancelled (its stream
    stops); cancellation ends this quietly."""
    timer = report_timer_of(dtls)
    timer.add(reporter)
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        pass
    finally:
        timer.remove(reporter)


def report_timer_of(dtls: RTCDtlsTransport) -> ReportTimer:
    """The transport's report timer (made on first use, gone with the transport)."""
    timer = _report_timers.get(dtls)
    if timer is None:

        def send(data: bytes) -> None:
            with contextlib.suppress(ConnectionError):
                send_srtp(dtls, data, rtcp=True)

        timer = _report_timers[dtls] = ReportTimer(send)
    return timer
