"""Sending on one connected transport: SRTP and SRTCP protected and sent in one synchronous
call, no coroutine per packet (aiortc's `RTCDtlsTransport._send_rtp` and aioice's
`Connection.sendto` would take three)."""

from __future__ import annotations

import asyncio
import functools
import os
import socket
from collections.abc import Callable
from typing import Any

import pylibsrtp
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtcdtlstransport import State as DtlsState

from rapat.sfu.hooks.srtp import srtp_calls, srtp_lib


def send_srtp(dtls: RTCDtlsTransport, data: bytes, *, rtcp: bool = False) -> None:
    """aiortc's `RTCDtlsTransport._send_rtp` and aioice's `Connection.sendto` in one
    synchronous call: the same checks, SRTP protection, datagram and statistics, with no
    coroutine per packet. Raises ConnectionError when not connected."""
    if dtls._state is not DtlsState.CONNECTED:
        raise ConnectionError("Cannot send encrypted RTP, not connected")
    link = link_of(dtls)
    if rtcp:
        link.send_rtcp(data)
    else:
        link.send(data)


class RtpLink:
    """Sending RTP and RTCP on one connected transport, with what it needs looked up once: SRTP
    through libsrtp directly (as `SrtpCalls.protect`) and the nominated pair's socket and
    address (aioice nominates once per connection; a closed connection ends the DTLS
    state, which callers check first). Counts into aiortc's transport statistics.

    The pair's socket is connected to the remote address, and packets go out through a
    copy of it with `send`: the kernel then keeps the route instead of looking it up for
    every datagram, and no address is converted per packet (together about a fifth of the
    cost of a forwarded packet on loopback). Once connected, the socket takes datagrams
    from that address only, which after nomination is all the connection uses (aioice
    neither renominates nor restarts ICE). Where the socket cannot be connected (no real
    socket under the pair), packets go through the event loop's transport as before."""

    __slots__ = ("_buffer", "_cdata", "_context", "_dtls", "_emit", "_length", "_limit", "socket")

    def __init__(self, dtls: RTCDtlsTransport) -> None:
        pair = dtls.transport._connection._nominated.get(1)
        if pair is None:
            raise ConnectionError("Cannot send data, not connected")
        calls = srtp_calls(dtls._tx_srtp)
        self._dtls: Any = dtls  # (its statistics are private names)
        self._context, self._cdata, self._buffer = calls._context, calls._cdata, calls._buffer
        self._limit = calls._size - pylibsrtp.SRTP_MAX_TRAILER_LEN
        self._length = calls._length
        self.socket = _connected_copy(pair.protocol.transport, pair.remote_addr)
        self._emit: Callable[[bytes], object] = (
            self.socket.send
            if self.socket is not None
            else functools.partial(pair.protocol.transport.sendto, addr=pair.remote_addr)
        )

    def send(self, data: bytes) -> None:
        """Protect and send one RTP packet. A packet SRTP refuses (too long, or too old for
        its replay window), or the socket cannot take (its buffer full, an ICMP error
        reported), is dropped, as aiortc and the event loop drop it."""
        size = len(data)
        if size > self._limit:
            return
        buffer, length = self._buffer, self._length
        buffer[0:size] = data
        length[0] = size
        if srtp_lib.srtp_protect(self._context, self._cdata, length):
            return
        self._emit_counted(buffer[0 : length[0]])

    def send_rtcp(self, data: bytes) -> None:
        """Protect (SRTCP, through pylibsrtp) and send one compound RTCP packet, dropped as
        `send` drops one."""
        try:
            protected = self._dtls._tx_srtp.protect_rtcp(data)
        except (pylibsrtp.Error, ValueError):  # too old for SRTP's replay window, too long
            return
        self._emit_counted(protected)

    def _emit_counted(self, protected: bytes) -> None:
        try:
            self._emit(protected)
        except OSError:
            return
        dtls = self._dtls
        dtls._RTCDtlsTransport__tx_bytes += len(protected)
        dtls._RTCDtlsTransport__tx_packets += 1

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()


def _connected_copy(transport: asyncio.DatagramTransport, remote: Any) -> socket.socket | None:
    """A copy of the transport's socket (the same socket, its own descriptor), connected to
    `remote`; None where there is no socket to connect."""
    original = transport.get_extra_info("socket")
    if original is None:
        return None
    try:
        copy = socket.socket(original.family, original.type, fileno=os.dup(original.fileno()))
    except OSError:
        return None
    try:
        copy.setblocking(False)
        copy.connect(remote)
    except OSError:
        copy.close()
        return None
    return copy


def link_of(dtls: RTCDtlsTransport) -> RtpLink:
    """The transport's RtpLink (made on first use, closed when the transport leaves the
    connected state). Raises ConnectionError before ICE has nominated a pair."""
    link: RtpLink | None = getattr(dtls, "_rapat_link", None)
    if link is None:
        link = dtls._rapat_link = RtpLink(dtls)  # type: ignore[attr-defined]

        @dtls.on("statechange")
        def disconnected() -> None:
            if dtls._state is not DtlsState.CONNECTED:
                link.close()

    return link
