"""The synchronous receive path: SRTP and SRTCP handled where the datagram arrives.

`install_receive_path` hooks a transport's ICE connection so that each RTP or RTCP datagram
is unprotected, parsed and routed in one call, straight to a receiver or sender that
handles packets synchronously (`RtpHandler`, `RtcpHandler`: the forwarding ones). Other
receivers (decoding ones) get their packets as aiortc would hand them over.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pylibsrtp
import structlog
from aioice.ice import Connection, StunProtocol
from aiortc.rtcdtlstransport import RTCDtlsTransport, RtpReceiver
from aiortc.rtcdtlstransport import State as DtlsState
from aiortc.rtp import AnyRtcpPacket, RtcpPacket, RtpPacket

from rapat.sfu.hooks.srtp import srtp_calls
from rapat.sfu.rtp_header import RtpReader
from rapat.sfu.rtptime import ntp_ms

log = structlog.get_logger("rapat.sfu")


class RtcpHandler:
    """A receiver or sender that takes its RTCP from the receive path synchronously (a
    base class beside aiortc's, so the receive path needs no import of the classes)."""

    __slots__ = ()

    def handle_rtcp(self, packet: AnyRtcpPacket) -> None:
        raise NotImplementedError


class RtpHandler(RtcpHandler):
    """A receiver that takes its RTP from the receive path synchronously as well."""

    __slots__ = ()

    def handle_rtp(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        raise NotImplementedError


def install_receive_path(dtls: RTCDtlsTransport) -> RtpReader:
    """Handle SRTP and SRTCP where the datagram arrives, in one synchronous call: unprotect,
    parse, route to the receiver and on to its sink (which fans out and sends), or to the
    senders the feedback is about. aiortc would queue each datagram for a task that hands
    it down three coroutines. STUN, DTLS and anything before the handshake ends still take
    aiortc's queue. Returns the transport's packet reader, for receivers to configure."""
    connection: Connection = dtls.transport._connection
    installed: RtpReader | None = getattr(connection, "_rapat_reader", None)
    if installed is not None:
        return installed
    reader = connection._rapat_reader = RtpReader()  # type: ignore[attr-defined]
    enqueue = connection.data_received

    def data_received(data: bytes, component: int) -> None:
        if len(data) > 1 and 127 < data[0] < 192:  # RTP or RTCP (RFC 7983)
            srtp = dtls._rx_srtp
            if srtp is not None and dtls._state is DtlsState.CONNECTED:
                try:
                    if 191 < data[1] < 209:
                        _receive_srtcp(dtls, srtp, data)
                    else:
                        _receive_srtp(dtls, srtp, reader, data)
                except Exception:
                    # One packet lost, the connection kept (aiortc's receive task would
                    # have died of it); logged here under a name, not by the event loop.
                    log.exception("sfu_packet_failed")
                return
        enqueue(data, component)

    connection.data_received = data_received  # type: ignore[method-assign]
    for protocol in connection._protocols:
        if isinstance(protocol, StunProtocol) and hasattr(protocol, "local_candidate"):
            _skip_stun_parsing(protocol, data_received)
    return reader


def _skip_stun_parsing(protocol: StunProtocol, data_received: Callable[[bytes, int], None]) -> None:
    """aioice tries every datagram as STUN first (a parse that fails by exception for each
    media packet); RTP and RTCP are told apart by their first byte (RFC 7983) and go
    straight on."""
    parse = protocol.datagram_received
    component = protocol.local_candidate.component

    def datagram_received(data: bytes | str, addr: tuple[Any, ...]) -> None:
        if isinstance(data, bytes) and len(data) > 1 and 127 < data[0] < 192:
            data_received(data, component)
        else:
            parse(data, addr)

    protocol.datagram_received = datagram_received  # type: ignore[method-assign]


def _count_received(dtls: Any, data: bytes) -> None:
    # (aiortc's private counters, by their mangled names, which `verify()` checks)
    dtls._RTCDtlsTransport__rx_bytes += len(data)
    dtls._RTCDtlsTransport__rx_packets += 1


def _receive_srtp(
    dtls: RTCDtlsTransport, srtp: pylibsrtp.Session, reader: RtpReader, data: bytes
) -> None:
    arrival_ms = ntp_ms(time.time())
    _count_received(dtls, data)
    try:
        plain = srtp_calls(srtp).unprotect(data)
        packet = reader.parse(plain)
    except (pylibsrtp.Error, ValueError):  # forged, replayed or malformed: dropped
        return
    # (typed wider: mypy sees no class that is both aiortc's protocol and RtpHandler)
    router = dtls._rtp_router
    receiver: RtpReceiver | RtpHandler | None = router.route_rtp(packet)
    if receiver is None and packet.extensions.mid is not None:
        # A simulcast layer's SSRC is signalled by no a=ssrc line, and aiortc routes an
        # unknown SSRC by payload type only while one receiver has it: the mid names it.
        receiver = router.mid_table.get(packet.extensions.mid)
        if receiver is not None:
            router.ssrc_table[packet.ssrc] = receiver
    if isinstance(receiver, RtpHandler):
        receiver.handle_rtp(packet, arrival_ms)
    elif receiver is not None:  # a decoding receiver: aiortc's parse (every extension)
        packet = RtpPacket.parse(plain, dtls._rtp_header_extensions_map)
        _spawn(receiver._handle_rtp_packet(packet, arrival_time_ms=arrival_ms))


def _receive_srtcp(dtls: RTCDtlsTransport, srtp: pylibsrtp.Session, data: bytes) -> None:
    _count_received(dtls, data)
    try:
        packets = RtcpPacket.parse(srtp_calls(srtp).unprotect_rtcp(data))
    except (pylibsrtp.Error, ValueError):
        return
    for packet in packets:
        for recipient in dtls._rtp_router.route_rtcp(packet):
            if isinstance(recipient, RtcpHandler):
                recipient.handle_rtcp(packet)
            else:  # a decoding receiver: aiortc's own handling
                _spawn(recipient._handle_rtcp_packet(packet))


_background: set[asyncio.Future[None]] = set()


def _spawn(work: Coroutine[Any, Any, None]) -> None:
    task = asyncio.ensure_future(work)
    _background.add(task)
    task.add_done_callback(_background.discard)
