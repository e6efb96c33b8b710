"""Loaded by `rapat serve` when `bench/sfu_trace.py` puts this folder on PYTHONPATH: times
every SRTP packet the SFU receives and appends the figures to RAPAT_BENCH_TRACE.

Per packet, seven integers (nanoseconds of the wall clock, so they compare with the kernel's
receive timestamp): the datagram's arrival at the server's socket (SIOCGSTAMPNS), the
receive callback's start, the fan-out's start and end, the callback's end, the number of
copies sent, and 1 for video (0 for audio). The file is rewritten every second from a
thread of its own (the server ends on SIGTERM, which runs no exit handler); nothing else in
the server changes.
"""

from __future__ import annotations

import array
import fcntl
import os
import struct
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pylibsrtp
    from aiortc.rtcdtlstransport import RTCDtlsTransport
    from aiortc.rtp import RtpPacket

    from rapat.sfu.rtp_header import RtpReader

SIOCGSTAMPNS = 0x8907


def install(path: str) -> None:
    from rapat.sfu.hooks import receive_path
    from rapat.sfu.published_track import PublishedTrack

    records = array.array("q")
    fanout = [0, 0, 0, 0]  # start, end, copies and kind of the packet being handled
    sockets: dict[int, int] = {}
    stamp = bytearray(16)
    receive = receive_path._receive_srtp
    on_packet = PublishedTrack.on_packet

    def socket_of(dtls: Any) -> int:
        fd = sockets.get(id(dtls))
        if fd is None:
            for protocol in dtls.transport._connection._protocols:
                if hasattr(protocol, "local_candidate"):
                    fd = sockets[id(dtls)] = protocol.transport.get_extra_info("socket").fileno()
                    break
        return fd if fd is not None else -1

    def timed_receive(
        dtls: RTCDtlsTransport, srtp: pylibsrtp.Session, reader: RtpReader, data: bytes
    ) -> None:
        began = time.time_ns()
        fanout[0] = fanout[1] = fanout[2] = fanout[3] = 0
        try:
            fcntl.ioctl(socket_of(dtls), SIOCGSTAMPNS, stamp)
            seconds, nanoseconds = struct.unpack("qq", stamp)
            arrived = seconds * 1_000_000_000 + nanoseconds
        except OSError:
            arrived = 0
        receive(dtls, srtp, reader, data)
        records.extend((arrived, began, fanout[0], fanout[1], time.time_ns(), fanout[2], fanout[3]))

    def timed_on_packet(self: PublishedTrack, packet: RtpPacket) -> None:
        fanout[0] = time.time_ns()
        on_packet(self, packet)
        fanout[1] = time.time_ns()
        fanout[2] = len(self._sending)
        fanout[3] = self.kind == "video"

    def write_every_second() -> None:
        while True:
            time.sleep(1)
            with open(path, "wb") as sink:
                records.tofile(sink)

    receive_path._receive_srtp = timed_receive
    PublishedTrack.on_packet = timed_on_packet  # type: ignore[method-assign]
    threading.Thread(target=write_every_second, daemon=True).start()


if os.environ.get("RAPAT_BENCH_TRACE") and sys.argv[1:2] == ["serve"]:
    install(os.environ["RAPAT_BENCH_TRACE"])
