"""Every reach into aiortc's internals, in one place.

aiortc decodes every track it receives and encodes every track it sends. The SFU forwards RTP
untouched, so it hooks in below both:

- `ForwardingReceiver` replaces a receiver's class before it starts: no decoder thread, no
  jitter buffer; each packet (RTX unwrapped, statistics and NACKs kept, so receiver reports
  flow) goes to a sink.
- `ForwardingSender` replaces a sender's class before it starts: no encoder task; the SFU
  hands it packets to send under its SSRC, and it reports what arrives in RTCP (NACK, PLI/FIR,
  REMB) to a listener. Sender reports keep flowing from aiortc's own RTCP task.
- `create_offer` makes a renegotiation offer that keeps the payload types and header-extension
  ids already negotiated (aiortc would re-offer its defaults, which a browser then starts
  sending with, so the receiving side would no longer understand its own stream).
- `bind_host_candidates` makes ICE gather on configured addresses and a port range.

aiortc is pinned (see pyproject); `verify()` checks at start-up that every private name used
here still exists, and the hook tests fail loudly when an upgrade moves one.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import errno
import functools
import os
import secrets
import socket
import time
import weakref
from collections.abc import Callable, Coroutine, Iterable
from importlib.metadata import version
from typing import Any, Protocol

import pylibsrtp
import structlog
from aioice import Candidate
from aioice.candidate import candidate_foundation, candidate_priority
from aioice.ice import Connection, StunProtocol
from aiortc import RTCPeerConnection, RTCRtpReceiver, RTCRtpSender, RTCSessionDescription, sdp
from aiortc import clock as aiortc_clock
from aiortc.codecs import is_rtx
from aiortc.rate import RemoteBitrateEstimator
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtcdtlstransport import State as DtlsState
from aiortc.rtcrtpparameters import (
    RTCRtpCodecParameters,
    RTCRtpHeaderExtensionParameters,
    RTCRtpReceiveParameters,
    RTCRtpSendParameters,
)
from aiortc.rtcrtpreceiver import NackGenerator, StreamStatistics
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_FIR,
    RTCP_PSFB_PLI,
    RTCP_RTPFB_NACK,
    AnyRtcpPacket,
    RtcpByePacket,
    RtcpPacket,
    RtcpPsfbPacket,
    RtcpReceiverInfo,
    RtcpRrPacket,
    RtcpRtpfbPacket,
    RtcpSdesPacket,
    RtcpSenderInfo,
    RtcpSourceInfo,
    RtcpSrPacket,
    RtpPacket,
    pack_remb_fci,
    unpack_remb_fci,
    unwrap_rtx,
    wrap_rtx,
)
from aiortc.stats import (
    RTCRemoteInboundRtpStreamStats,
    RTCRemoteOutboundRtpStreamStats,
    RTCStatsReport,
)

from rapat.sfu.lean_estimator import BatchedEstimator, make_lean
from rapat.sfu.report_timer import Reporter, ReportTimer
from rapat.sfu.rtp_header import HeaderWriter, RtpReader
from rapat.sfu.rtptime import abs_send_time, ntp_ms

AIORTC_VERSION = "1.16.0"

log = structlog.get_logger("rapat.sfu")

PacketSink = Callable[[RtpPacket], None]

_RECEIVER_FIELDS = (
    "codecs",
    "rtx_ssrc",
    "started",
    "transport",
    "remote_streams",
    "nack_generator",
    "rtcp_task",
    "remote_bitrate_estimator",
    "rtcp_ssrc",
    "decoder_thread",
    "rtcp_started",
    "rtcp_exited",
    "lsr",
    "lsr_time",
    "stats",
    "kind",
)
_SENDER_FIELDS = (
    "rtp_started",
    "rtp_exited",
    "rtcp_started",
    "rtcp_exited",
    "rtp_header_extensions_map",
    "octet_count",
    "packet_count",
    "stats",
    "started",
)

_DTLS_FIELDS = (
    "_state",
    "_rx_srtp",
    "_tx_srtp",
    "_rtp_router",
    "_rtp_header_extensions_map",
    "_RTCDtlsTransport__rx_bytes",
    "_RTCDtlsTransport__rx_packets",
    "_RTCDtlsTransport__tx_bytes",
    "_RTCDtlsTransport__tx_packets",
)


class HookError(RuntimeError):
    """aiortc no longer looks the way these hooks expect."""


def _get(obj: object, owner: type, name: str) -> Any:
    return getattr(obj, f"_{owner.__name__}__{name}")


def _set(obj: object, owner: type, name: str, value: object) -> None:
    setattr(obj, f"_{owner.__name__}__{name}", value)


async def verify() -> None:
    """Fail at start-up, with the reason, if the installed aiortc does not fit the hooks."""
    installed = version("aiortc")
    if installed != AIORTC_VERSION:
        raise HookError(f"The SFU is built for aiortc {AIORTC_VERSION}; {installed} is installed.")
    pc = RTCPeerConnection()
    try:
        transceiver = pc.addTransceiver("video", direction="sendrecv")
        for obj, owner, fields in (
            (transceiver.receiver, RTCRtpReceiver, _RECEIVER_FIELDS),
            (transceiver.sender, RTCRtpSender, _SENDER_FIELDS),
        ):
            missing = [name for name in fields if not hasattr(obj, f"_{owner.__name__}__{name}")]
            if missing:
                raise HookError(f"aiortc's {owner.__name__} lacks {', '.join(missing)}.")
        for name in ("iceTransports", "isClosed"):
            if not hasattr(pc, f"_RTCPeerConnection__{name}"):
                raise HookError(f"aiortc's RTCPeerConnection lacks __{name}.")
        dtls = transceiver.sender.transport
        missing = [name for name in _DTLS_FIELDS if not hasattr(dtls, name)]
        missing += [
            f"_rtp_router.{name}"
            for name in ("route_rtp", "route_rtcp")
            if not hasattr(getattr(dtls, "_rtp_router", None), name)
        ]
        if missing or not hasattr(dtls.transport, "_connection"):
            raise HookError(f"aiortc's transports lack {', '.join(missing) or '_connection'}.")
        connection = transceiver.receiver.transport.transport.iceGatherer._connection
        for name in ("_local_candidates_start", "_nominated", "data_received", "_protocols"):
            if not hasattr(connection, name):
                raise HookError(f"aioice's Connection lacks {name}.")
    finally:
        await pc.close()
    _verify_srtp()


def _verify_srtp() -> None:
    """SrtpCalls reaches into pylibsrtp: check it still protects as pylibsrtp does."""
    try:
        key = secrets.token_bytes(30)  # AES-128 key and salt
        outbound = pylibsrtp.Policy(key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
        inbound = pylibsrtp.Policy(key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND)
        packet = bytes([0x80, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]) + b"payload"
        protected = SrtpCalls(pylibsrtp.Session(outbound)).protect(packet)
        if pylibsrtp.Session(inbound).unprotect(protected) != packet:
            raise HookError("pylibsrtp's buffer no longer holds the protected packet.")
    except (AttributeError, TypeError) as exc:
        raise HookError(f"pylibsrtp's Session no longer fits SrtpCalls: {exc!r}") from exc


# --- receiving ------------------------------------------------------------------------------


class ForwardingReceiver(RTCRtpReceiver):
    """An RTCRtpReceiver whose packets go to a sink instead of a decoder."""

    _sink: PacketSink | None
    uplink_estimate: int | None  # bits/s the publisher's link carries, as estimated here
    # aiortc's own state of this receiver (created with it), held under plain names so the
    # per-packet path does not look private names up
    _codecs: dict[int, RTCRtpCodecParameters]
    _rtx_payload_types: set[int]
    _rtx_ssrcs: dict[int, int]
    _streams: dict[int, StreamStatistics]
    _nacks: NackGenerator | None
    _estimator: RemoteBitrateEstimator | None
    _lsr: dict[int, int]  # per publisher SSRC, the middle 32 bits of its last report's NTP time
    _lsr_time: dict[int, float]  # and when that report arrived
    _estimates: BatchedEstimator | None  # feeds `_estimator`

    async def receive(self, parameters: RTCRtpReceiveParameters) -> None:
        if _get(self, RTCRtpReceiver, "started"):
            return
        for codec in parameters.codecs:
            if codec.payloadType is not None:
                self._codecs[codec.payloadType] = codec
                if is_rtx(codec):
                    self._rtx_payload_types.add(codec.payloadType)
        for encoding in parameters.encodings:
            if encoding.rtx:
                self._rtx_ssrcs[encoding.rtx.ssrc] = encoding.ssrc
        transport = _get(self, RTCRtpReceiver, "transport")
        transport._register_rtp_receiver(self, parameters)
        install_receive_path(transport).configure(parameters.headerExtensions)
        _set(self, RTCRtpReceiver, "rtcp_task", asyncio.ensure_future(self._run_rtcp()))
        _set(self, RTCRtpReceiver, "started", True)

    async def _handle_rtp_packet(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        # aiortc's own receive loop: only packets that arrived before the receive path was
        # installed come this way.
        self.handle_rtp(packet, arrival_time_ms)

    def handle_rtp(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        """One packet for this receiver: statistics (for receiver reports), RTX unwrapped,
        NACKs for gaps, the sink, then the bandwidth estimate (in batches)."""
        if not self._enabled:
            return
        codec = self._codecs.get(packet.payload_type)
        if codec is None:
            return
        received = packet  # (as it arrived, RTX or not: what the estimator measures)
        stats = self._streams.get(packet.ssrc)
        if stats is None:
            stats = self._streams[packet.ssrc] = StreamStatistics(codec.clockRate)
        stats.add(packet)
        if packet.payload_type in self._rtx_payload_types:
            original = self._rtx_ssrcs.get(packet.ssrc)
            apt = codec.parameters.get("apt")
            if original is None or not isinstance(apt, int) or len(packet.payload) < 2:
                return
            packet = unwrap_rtx(packet, payload_type=apt, ssrc=original)
        nacks = self._nacks
        if nacks is not None and nacks.add(packet):
            lost, media_ssrc = sorted(nacks.missing), packet.ssrc
            self._feedback(
                lambda ssrc: RtcpRtpfbPacket(
                    fmt=RTCP_RTPFB_NACK, ssrc=ssrc, media_ssrc=media_ssrc, lost=lost
                )
            )
        if self._sink is not None:
            self._sink(packet)
        # (after the sink: the subscribers get the packet first)
        estimates = self._estimates
        abs_send_time = received.extensions.abs_send_time
        if estimates is not None and abs_send_time is not None:
            size = len(received.payload) + received.padding_size
            estimate = estimates.add(
                arrival_time_ms, abs_send_time, size, received.ssrc, bool(received.marker)
            )
            if estimate is not None:
                self.uplink_estimate = estimate

    async def _handle_rtcp_packet(self, packet: AnyRtcpPacket) -> None:
        # aiortc's own receive loop: only packets that arrived before the receive path was
        # installed come this way.
        self.handle_rtcp(packet)

    def handle_rtcp(self, packet: AnyRtcpPacket) -> None:
        """The publisher's sender report, as aiortc records it (for the round trip our
        receiver reports give it, and for statistics); there is no decoder to stop on BYE."""
        if not isinstance(packet, RtcpSrPacket):
            return
        info = packet.sender_info
        _get(self, RTCRtpReceiver, "stats").add(
            RTCRemoteOutboundRtpStreamStats(
                timestamp=aiortc_clock.current_datetime(),
                type="remote-outbound-rtp",
                id=f"remote-outbound-rtp_{id(self)}",
                ssrc=packet.ssrc,
                kind=_get(self, RTCRtpReceiver, "kind"),
                transportId=_get(self, RTCRtpReceiver, "transport")._stats_id,
                packetsSent=info.packet_count,
                bytesSent=info.octet_count,
                remoteTimestamp=aiortc_clock.datetime_from_ntp(info.ntp_timestamp),
            )
        )
        self._lsr[packet.ssrc] = (info.ntp_timestamp >> 16) & 0xFFFFFFFF
        self._lsr_time[packet.ssrc] = time.time()

    async def _run_rtcp(self) -> None:
        # aiortc's task per receiver would wake every second to send this receiver's report
        # in a datagram of its own; the transport's report timer sends it with the others.
        _get(self, RTCRtpReceiver, "rtcp_started").set()
        try:
            await _report_until_cancelled(self, _get(self, RTCRtpReceiver, "transport"))
        finally:
            _get(self, RTCRtpReceiver, "rtcp_exited").set()

    def report(self, now: float) -> bytes:
        """The receiver report on every stream received, as aiortc's task writes it (none
        before the receiver is negotiated or has received a packet)."""
        rtcp_ssrc: int | None = _get(self, RTCRtpReceiver, "rtcp_ssrc")
        if rtcp_ssrc is None or not self._streams:
            return b""
        reports = []
        for ssrc, stream in self._streams.items():
            lsr = self._lsr.get(ssrc, 0)
            dlsr = 0
            if ssrc in self._lsr:
                delay = now - self._lsr_time[ssrc]
                if 0 < delay < 65536:
                    dlsr = int(delay * 65536)
            reports.append(
                RtcpReceiverInfo(
                    ssrc=ssrc,
                    fraction_lost=stream.fraction_lost,
                    packets_lost=stream.packets_lost,
                    # (extended with the wrap count, as RFC 3550 defines it)
                    highest_sequence=stream.cycles + (stream.max_seq or 0),
                    jitter=stream.jitter,
                    lsr=lsr,
                    dlsr=dlsr,
                )
            )
        return bytes(RtcpRrPacket(ssrc=rtcp_ssrc, reports=reports))

    def request_keyframe(self, media_ssrc: int) -> None:
        self._feedback(
            lambda ssrc: RtcpPsfbPacket(fmt=RTCP_PSFB_PLI, ssrc=ssrc, media_ssrc=media_ssrc)
        )

    def send_remb(self, bitrate: int, media_ssrcs: list[int]) -> None:
        """Tell the publisher the most it should send (REMB)."""
        if not media_ssrcs:
            return
        fci = pack_remb_fci(bitrate, media_ssrcs)
        self._feedback(
            lambda ssrc: RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=ssrc, media_ssrc=0, fci=fci)
        )

    def _feedback(self, build: Callable[[int], RtcpPsfbPacket | RtcpRtpfbPacket]) -> None:
        """Send the feedback packet `build` makes from this receiver's RTCP SSRC (none
        before the receiver is negotiated: nothing is sent then)."""
        rtcp_ssrc: int | None = _get(self, RTCRtpReceiver, "rtcp_ssrc")
        if rtcp_ssrc is None:
            return
        with contextlib.suppress(ConnectionError):
            send_srtp(_get(self, RTCRtpReceiver, "transport"), bytes(build(rtcp_ssrc)), rtcp=True)

    @property
    def media_ssrcs(self) -> list[int]:
        """The SSRCs the publisher sends media on (not RTX)."""
        return [ssrc for ssrc in self._streams if ssrc not in self._rtx_ssrcs]


def adopt_receiver(receiver: RTCRtpReceiver, sink: PacketSink) -> ForwardingReceiver:
    """Turn a not-yet-started receiver into a forwarding one (it never starts a decoder)."""
    if _get(receiver, RTCRtpReceiver, "started"):
        raise HookError("A receiver can only be adopted before it starts.")
    receiver.__class__ = ForwardingReceiver
    forwarding: ForwardingReceiver = receiver  # type: ignore[assignment]
    forwarding._sink = sink
    forwarding.uplink_estimate = None
    forwarding._codecs = _get(receiver, RTCRtpReceiver, "codecs")
    forwarding._rtx_payload_types = set()
    forwarding._rtx_ssrcs = _get(receiver, RTCRtpReceiver, "rtx_ssrc")
    forwarding._streams = _get(receiver, RTCRtpReceiver, "remote_streams")
    forwarding._nacks = _get(receiver, RTCRtpReceiver, "nack_generator")
    forwarding._estimator = _get(receiver, RTCRtpReceiver, "remote_bitrate_estimator")
    forwarding._lsr = _get(receiver, RTCRtpReceiver, "lsr")
    forwarding._lsr_time = _get(receiver, RTCRtpReceiver, "lsr_time")
    forwarding._estimates = None
    if forwarding._estimator is not None:
        make_lean(forwarding._estimator)
        forwarding._estimates = BatchedEstimator(forwarding._estimator)
    return forwarding


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
        plain = _srtp_calls(srtp).unprotect(data)
        packet = reader.parse(plain)
    except (pylibsrtp.Error, ValueError):  # forged, replayed or malformed: dropped
        return
    receiver = dtls._rtp_router.route_rtp(packet)
    if isinstance(receiver, ForwardingReceiver):
        receiver.handle_rtp(packet, arrival_ms)
    elif receiver is not None:  # a decoding receiver: aiortc's parse (every extension)
        packet = RtpPacket.parse(plain, dtls._rtp_header_extensions_map)
        _spawn(receiver._handle_rtp_packet(packet, arrival_time_ms=arrival_ms))


def _receive_srtcp(dtls: RTCDtlsTransport, srtp: pylibsrtp.Session, data: bytes) -> None:
    _count_received(dtls, data)
    try:
        packets = RtcpPacket.parse(_srtp_calls(srtp).unprotect_rtcp(data))
    except (pylibsrtp.Error, ValueError):
        return
    for packet in packets:
        for recipient in dtls._rtp_router.route_rtcp(packet):
            if isinstance(recipient, ForwardingSender | ForwardingReceiver):
                recipient.handle_rtcp(packet)
            else:  # a decoding receiver: aiortc's own handling
                _spawn(recipient._handle_rtcp_packet(packet))


_background: set[asyncio.Future[None]] = set()


def _spawn(work: Coroutine[Any, Any, None]) -> None:
    task = asyncio.ensure_future(work)
    _background.add(task)
    task.add_done_callback(_background.discard)


# --- sending --------------------------------------------------------------------------------


class RtcpListener(Protocol):
    """What a forwarding sender reports to the subscription it sends for."""

    def on_sending(self) -> None:
        """Negotiated and started (again, after each renegotiation that keeps it)."""
        ...

    def on_nack(self, lost: list[int]) -> None: ...

    def on_keyframe_request(self) -> None: ...

    def on_bitrate(self, bitrate: int) -> None: ...


class ForwardingSender(RTCRtpSender):
    """An RTCRtpSender that sends packets it is given, with no encoder."""

    _listener: RtcpListener | None
    _payload_type: int | None
    _rtx_payload_type: int | None
    _rtx_seq: int
    _mid: str | None
    _writer: HeaderWriter | None  # None where the one-byte extension form does not apply
    _dtls: RTCDtlsTransport | None  # set when sending starts
    _link: RtpLink | None  # set by the first packet sent once connected
    _cname: str | None
    # For sender reports, kept per packet; aiortc's getStats reads the counts by the
    # private names of its own counters.
    last_ntp: int
    last_timestamp: int
    packets_sent: int
    octets_sent: int
    _RTCRtpSender__packet_count = property(lambda self: self.packets_sent)
    _RTCRtpSender__octet_count = property(lambda self: self.octets_sent)
    # The last sender report (its middle 32 bits of NTP time, and when it was sent) and the
    # round-trip time the receiver reports give
    _lsr: int
    _lsr_time: float
    round_trip_time: float | None
    _stats: RTCStatsReport

    async def send(self, parameters: RTCRtpSendParameters) -> None:
        if not _get(self, RTCRtpSender, "started"):
            self._dtls = self.transport
            self._cname = parameters.rtcp.cname
            install_receive_path(self.transport)
            primary = parameters.codecs[0]
            self._payload_type = primary.payloadType
            self._rtx_payload_type = next(
                (
                    c.payloadType
                    for c in parameters.codecs
                    if is_rtx(c) and c.parameters.get("apt") == primary.payloadType
                ),
                None,
            )
            self._mid = parameters.muxId
            if primary.payloadType is not None:  # always, once negotiated
                writer = HeaderWriter(
                    parameters.headerExtensions, parameters.muxId, primary.payloadType, self._ssrc
                )
                self._writer = writer if writer.usable else None
        await super().send(parameters)
        if self._listener is not None:
            self._listener.on_sending()

    async def _run_rtp(self, codec: RTCRtpCodecParameters) -> None:
        # No encoder: packets arrive through `forward`. The task only marks start and exit,
        # which `stop()` waits for.
        _get(self, RTCRtpSender, "rtp_started").set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            pass
        finally:
            _get(self, RTCRtpSender, "rtp_exited").set()

    @property
    def ready(self) -> bool:
        """Negotiated and connected: packets can go out."""
        # (`_state`, not the `state` property, which formats a string on every packet)
        dtls = self._dtls
        return dtls is not None and dtls._state is DtlsState.CONNECTED

    def forward(self, packet: RtpPacket, seq: int, timestamp: int, ntp: int) -> bytes | None:
        """Send `packet` as this sender's stream with the given sequence number and
        timestamp, `ntp` (the time it is forwarded) in its abs-send-time; returns the bytes
        sent (before SRTP), for the retransmission cache, or None when the transport is not
        connected (nothing is sent). The payload is sent unchanged."""
        # (runs per packet and subscriber: kept to the fewest calls)
        dtls = self._dtls
        if dtls is None or dtls._state is not DtlsState.CONNECTED:
            return None
        writer = self._writer
        padding = packet.padding_size
        if writer is not None:
            data = (
                writer.header(
                    packet.marker,
                    seq,
                    timestamp,
                    (ntp >> 14) & 0xFFFFFF,  # abs-send-time (rtptime.abs_send_time)
                    packet.extensions.audio_level,
                    padding > 0,
                )
                + packet.payload
            )
            if padding:
                data += os.urandom(padding - 1) + bytes([padding])
        else:
            data = self._serialize(packet, seq, timestamp, abs_send_time(ntp))
        link = self._link
        if link is None:
            try:
                link = self._link = rtp_link(dtls)
            except ConnectionError:
                return None
        link.send(data)
        self.last_ntp = ntp
        self.last_timestamp = timestamp
        self.octets_sent += len(packet.payload)
        self.packets_sent += 1
        return data

    def _serialize(self, packet: RtpPacket, seq: int, timestamp: int, abs_send_time: int) -> bytes:
        assert self._payload_type is not None
        out = RtpPacket(
            payload_type=self._payload_type,
            marker=packet.marker,
            sequence_number=seq,
            timestamp=timestamp,
            ssrc=self._ssrc,
            payload=packet.payload,
        )
        out.padding_size = packet.padding_size
        out.extensions.mid = self._mid
        out.extensions.audio_level = packet.extensions.audio_level
        out.extensions.abs_send_time = abs_send_time
        data: bytes = out.serialize(_get(self, RTCRtpSender, "rtp_header_extensions_map"))
        return data

    def resend(self, data: bytes) -> None:
        """Retransmit a cached packet, wrapped in RTX where RTX was negotiated. Raises
        ConnectionError when not connected."""
        if self._rtx_payload_type is not None:
            extensions = _get(self, RTCRtpSender, "rtp_header_extensions_map")
            packet = wrap_rtx(
                RtpPacket.parse(data, extensions),
                payload_type=self._rtx_payload_type,
                sequence_number=self._rtx_seq,
                ssrc=self._rtx_ssrc,
            )
            self._rtx_seq = (self._rtx_seq + 1) & 0xFFFF
            data = packet.serialize(extensions)
        send_srtp(self.transport, data)

    async def _handle_rtcp_packet(self, packet: AnyRtcpPacket) -> None:
        # aiortc's own receive loop: only packets that arrived before the receive path was
        # installed come this way.
        self.handle_rtcp(packet)

    def handle_rtcp(self, packet: AnyRtcpPacket) -> None:
        """Feedback about this stream: NACK, PLI/FIR and REMB go to the listener; receiver
        reports give the round-trip time and loss statistics."""
        listener = self._listener
        if isinstance(packet, RtcpRtpfbPacket) and packet.fmt == RTCP_RTPFB_NACK:
            if listener is not None:
                listener.on_nack(list(packet.lost))
        elif isinstance(packet, RtcpPsfbPacket) and packet.fmt in (RTCP_PSFB_FIR, RTCP_PSFB_PLI):
            if listener is not None:
                listener.on_keyframe_request()
        elif isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            try:
                bitrate, ssrcs = unpack_remb_fci(packet.fci)
            except ValueError:
                return
            if listener is not None and self._ssrc in ssrcs:
                listener.on_bitrate(bitrate)
        elif isinstance(packet, RtcpRrPacket | RtcpSrPacket):
            for report in packet.reports:
                if report.ssrc == self._ssrc:
                    self._reported(packet.ssrc, report)

    def _reported(self, reporter: int, report: RtcpReceiverInfo) -> None:
        if report.lsr and report.lsr == self._lsr and report.dlsr:
            sample = time.time() - self._lsr_time - report.dlsr / 65536
            rtt = self.round_trip_time
            self.round_trip_time = sample if rtt is None else 0.85 * rtt + 0.15 * sample
        self._stats.add(
            RTCRemoteInboundRtpStreamStats(
                timestamp=aiortc_clock.current_datetime(),
                type="remote-inbound-rtp",
                id=f"remote-inbound-rtp_{id(self)}",
                ssrc=reporter,
                kind=self.kind,
                transportId=self.transport._stats_id,
                packetsReceived=self.packets_sent - report.packets_lost,
                packetsLost=report.packets_lost,
                jitter=report.jitter,
                roundTripTime=self.round_trip_time,  # type: ignore[arg-type]  # None at first, as in aiortc
                fractionLost=report.fraction_lost,
            )
        )

    async def _run_rtcp(self) -> None:
        # aiortc's task per sender would wake every second to send this sender's report on
        # its own; the transport's report timer sends them all together. The task only marks
        # start and exit, which `stop()` waits for, and says goodbye (BYE) at the end.
        _get(self, RTCRtpSender, "rtcp_started").set()
        try:
            await _report_until_cancelled(self, self.transport)
        finally:
            with contextlib.suppress(ConnectionError):
                send_srtp(self.transport, bytes(RtcpByePacket(sources=[self._ssrc])), rtcp=True)
            _get(self, RTCRtpSender, "rtcp_exited").set()

    def report(self, now: float) -> bytes:
        """This stream's sender report and CNAME, for the transport's report timer."""
        ntp = self.last_ntp
        self._lsr, self._lsr_time = (ntp >> 16) & 0xFFFFFFFF, now
        info = RtcpSenderInfo(
            ntp_timestamp=ntp,
            rtp_timestamp=self.last_timestamp,
            packet_count=self.packets_sent & 0xFFFFFFFF,
            octet_count=self.octets_sent & 0xFFFFFFFF,
        )
        report = bytes(RtcpSrPacket(ssrc=self._ssrc, sender_info=info))
        if self._cname is None:
            return report
        chunk = RtcpSourceInfo(ssrc=self._ssrc, items=[(1, self._cname.encode())])
        return report + bytes(RtcpSdesPacket(chunks=[chunk]))


_report_timers: weakref.WeakKeyDictionary[RTCDtlsTransport, ReportTimer] = (
    weakref.WeakKeyDictionary()
)


async def _report_until_cancelled(reporter: Reporter, dtls: RTCDtlsTransport) -> None:
    """Report on the transport's timer until the calling task is cancelled (its stream
    stops); cancellation ends this quietly."""
    timer = _report_timer(dtls)
    timer.add(reporter)
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        pass
    finally:
        timer.remove(reporter)


def _report_timer(dtls: RTCDtlsTransport) -> ReportTimer:
    timer = _report_timers.get(dtls)
    if timer is None:

        def send(data: bytes) -> None:
            with contextlib.suppress(ConnectionError):
                send_srtp(dtls, data, rtcp=True)

        timer = _report_timers[dtls] = ReportTimer(send)
    return timer


def adopt_sender(
    sender: RTCRtpSender, stream_id: str, track_id: str, listener: RtcpListener
) -> ForwardingSender:
    """Turn a not-yet-started sender into a forwarding one, announced in SDP as
    `msid:<stream_id> <track_id>`."""
    if _get(sender, RTCRtpSender, "started"):
        raise HookError("A sender can only be adopted before it starts.")
    sender.__class__ = ForwardingSender
    forwarding: ForwardingSender = sender  # type: ignore[assignment]
    forwarding._listener = listener
    forwarding._payload_type = None
    forwarding._rtx_payload_type = None
    forwarding._rtx_seq = secrets.randbelow(1 << 15)
    forwarding._mid = None
    forwarding._writer = None
    forwarding._dtls = None
    forwarding._link = None
    forwarding.last_ntp = forwarding.last_timestamp = 0
    forwarding.packets_sent = forwarding.octets_sent = 0
    forwarding._cname = None
    forwarding._lsr, forwarding._lsr_time, forwarding.round_trip_time = 0, 0.0, None
    forwarding._stats = _get(sender, RTCRtpSender, "stats")
    forwarding._stream_id = stream_id
    forwarding._track_id = track_id
    return forwarding


def detach_sender(sender: ForwardingSender) -> None:
    """Forget the listener, so a stopped subscription keeps nothing alive. The stopped
    m-line stays in every later offer; it gives up its track id, which a new subscription to
    the same person (after they rejoin) takes: browsers refuse an SDP that repeats an msid."""
    sender._listener = None
    sender._track_id = f"ended-{secrets.token_hex(8)}"


def send_srtp(dtls: RTCDtlsTransport, data: bytes, *, rtcp: bool = False) -> None:
    """aiortc's `RTCDtlsTransport._send_rtp` and aioice's `Connection.sendto` in one
    synchronous call: the same checks, SRTP protection, datagram and statistics, with no
    coroutine per packet. Raises ConnectionError when not connected."""
    if dtls._state is not DtlsState.CONNECTED:
        raise ConnectionError("Cannot send encrypted RTP, not connected")
    link = rtp_link(dtls)
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
        calls = _srtp_calls(dtls._tx_srtp)
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
        if _srtp_lib.srtp_protect(self._context, self._cdata, length):
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


def rtp_link(dtls: RTCDtlsTransport) -> RtpLink:
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


# pylibsrtp's cffi binding, as its Session uses it (not exported: read by name)
_srtp_ffi: Any = getattr(pylibsrtp, "ffi")  # noqa: B009
_srtp_lib: Any = getattr(pylibsrtp, "lib")  # noqa: B009


class SrtpCalls:
    """pylibsrtp's `Session.protect` and `unprotect` for RTP, without what they do around
    libsrtp on every call in Python (a cffi integer allocated, type and size checks through
    a name-mangled helper): ~1 µs of ~3 per packet. Same buffer, same limits, same errors
    (pylibsrtp.Error from libsrtp, ValueError for a packet too long)."""

    def __init__(self, session: pylibsrtp.Session) -> None:
        self._session = session  # it owns the libsrtp context and the buffer used here
        self._context = session._srtp[0]
        self._cdata = session._cdata
        self._buffer = session._buffer
        self._size = len(session._buffer)
        self._length = _srtp_ffi.new("int *")

    def protect(self, data: bytes) -> bytes:
        return self._call(_srtp_lib.srtp_protect, data, pylibsrtp.SRTP_MAX_TRAILER_LEN)

    def unprotect(self, data: bytes) -> bytes:
        return self._call(_srtp_lib.srtp_unprotect, data, 0)

    def unprotect_rtcp(self, data: bytes) -> bytes:
        return self._call(_srtp_lib.srtp_unprotect_rtcp, data, 0)

    def _call(self, function: Any, data: bytes, trailer: int) -> bytes:
        size = len(data)
        if size > self._size - trailer:
            raise ValueError("packet is too long")
        buffer, length = self._buffer, self._length
        buffer[0:size] = data
        length[0] = size
        status = function(self._context, self._cdata, length)
        if status:
            raise pylibsrtp.Error(pylibsrtp.ERRORS[status])
        result: bytes = buffer[0 : length[0]]
        return result


def _srtp_calls(session: pylibsrtp.Session) -> SrtpCalls:
    calls: SrtpCalls | None = getattr(session, "_rapat_calls", None)
    if calls is None:
        calls = session._rapat_calls = SrtpCalls(session)  # type: ignore[attr-defined]
    return calls


def is_closed(pc: RTCPeerConnection) -> bool:
    """Closed, or closing: aiortc closes a connection itself when its DTLS transport closes
    (the client went away), and a description applied meanwhile can set its signaling
    state back to "stable", so that state alone does not tell."""
    return bool(_get(pc, RTCPeerConnection, "isClosed")) or pc.signalingState == "closed"


# --- renegotiation --------------------------------------------------------------------------


def _codec_key(codec: RTCRtpCodecParameters) -> tuple[str, int, str]:
    params = ";".join(f"{k}={v}" for k, v in sorted(codec.parameters.items()) if k != "apt")
    return codec.mimeType.lower(), codec.clockRate, params


def _negotiated(pc: RTCPeerConnection) -> dict[str, tuple[list[Any], list[Any]]]:
    """Codecs and header extensions of every m-line that has been negotiated, by mid."""
    saved: dict[str, tuple[list[Any], list[Any]]] = {}
    for transceiver in pc.getTransceivers():
        if transceiver.mid is not None and transceiver.currentDirection is not None:
            saved[transceiver.mid] = (
                copy.deepcopy(transceiver._codecs),
                copy.deepcopy(transceiver._headerExtensions),
            )
    return saved


def _pt(codec: RTCRtpCodecParameters) -> int:
    # Every codec taken from an SDP has a payload type.
    return codec.payloadType if codec.payloadType is not None else -1


def _free_pt(used: set[int]) -> int:
    pt = next(pt for pt in range(96, 128) if pt not in used)
    used.add(pt)
    return pt


def _renumber_codecs(
    codecs: list[RTCRtpCodecParameters], payload_types: dict[tuple[str, int, str], int]
) -> dict[int, int]:
    used = set(payload_types.values())
    renumber: dict[int, int] = {}
    for codec in (c for c in codecs if not is_rtx(c)):
        known = payload_types.get(_codec_key(codec))
        if known is not None:
            renumber[_pt(codec)] = known
        elif _pt(codec) in used:
            renumber[_pt(codec)] = _free_pt(used)
    for codec in (c for c in codecs if is_rtx(c)):
        apt = codec.parameters.get("apt")
        base = renumber.get(apt, apt) if isinstance(apt, int) else apt
        codec.parameters["apt"] = base
        known = payload_types.get((codec.mimeType.lower(), codec.clockRate, f"apt={base}"))
        if known is not None:
            renumber[_pt(codec)] = known
        elif _pt(codec) in used:
            renumber[_pt(codec)] = _free_pt(used)
    return renumber


def _align_new_media(
    media: sdp.MediaDescription,
    payload_types: dict[tuple[str, int, str], int],
    extension_ids: dict[str, int],
) -> None:
    """Give a new m-line the payload types and extension ids the session already uses, so
    one BUNDLE never maps a number to two meanings."""
    renumber = _renumber_codecs(media.rtp.codecs, payload_types)
    for codec in media.rtp.codecs:
        codec.payloadType = renumber.get(_pt(codec), codec.payloadType)
    media.fmt = [codec.payloadType for codec in media.rtp.codecs]
    used_ids = set(extension_ids.values())
    for extension in media.rtp.headerExtensions:
        if extension.uri in extension_ids:
            extension.id = extension_ids[extension.uri]
        elif extension.id in used_ids:
            extension.id = next(i for i in range(1, 15) if i not in used_ids)
        used_ids.add(extension.id)
        extension_ids[extension.uri] = extension.id


def _session_maps(
    saved: Iterable[tuple[list[RTCRtpCodecParameters], list[RTCRtpHeaderExtensionParameters]]],
) -> tuple[dict[tuple[str, int, str], int], dict[str, int]]:
    payload_types: dict[tuple[str, int, str], int] = {}
    extension_ids: dict[str, int] = {}
    for codecs, extensions in saved:
        for codec in codecs:
            if is_rtx(codec):
                apt = codec.parameters.get("apt")
                key = (codec.mimeType.lower(), codec.clockRate, f"apt={apt}")
            else:
                key = _codec_key(codec)
            payload_types.setdefault(key, _pt(codec))
        for extension in extensions:
            extension_ids.setdefault(extension.uri, extension.id)
    return payload_types, extension_ids


async def create_offer(pc: RTCPeerConnection) -> RTCSessionDescription:
    """An offer that re-offers negotiated m-lines exactly as negotiated."""
    saved = _negotiated(pc)
    offer = await pc.createOffer()
    for transceiver in pc.getTransceivers():
        if transceiver.mid in saved:
            codecs, extensions = copy.deepcopy(saved[transceiver.mid])
            transceiver._codecs, transceiver._headerExtensions = codecs, extensions
    if not saved:
        return offer
    description = sdp.SessionDescription.parse(offer.sdp)
    payload_types, extension_ids = _session_maps(saved.values())
    for media in description.media:
        if media.kind not in ("audio", "video"):
            continue
        known = saved.get(media.rtp.muxId or "")
        if known is not None:
            media.rtp.codecs = copy.deepcopy(known[0])
            media.rtp.headerExtensions = copy.deepcopy(known[1])
            media.fmt = [codec.payloadType for codec in media.rtp.codecs]
        else:
            _align_new_media(media, payload_types, extension_ids)
    return RTCSessionDescription(sdp=str(description), type="offer")


# --- ICE ------------------------------------------------------------------------------------


class PortRange(Protocol):
    def candidates(self) -> Iterable[int]: ...


async def _bind(address: str, ports: PortRange | None, factory: Callable[[], StunProtocol]) -> Any:
    loop = asyncio.get_running_loop()
    for port in ports.candidates() if ports is not None else (0,):
        try:
            _, protocol = await loop.create_datagram_endpoint(factory, local_addr=(address, port))
            return protocol
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE, f"No free UDP port on {address} in the configured range.")


def bind_host_candidates(
    pc: RTCPeerConnection,
    addresses: list[str],
    ports: PortRange | None,
    advertised: str | None,
) -> None:
    """Make every ICE agent of `pc` not yet gathering bind `addresses` (ports from `ports`)
    and announce `advertised` instead of the bound address when set (1:1 NAT)."""
    bind_to = list(addresses)
    for transport in _get(pc, RTCPeerConnection, "iceTransports"):
        connection: Connection = transport.iceGatherer._connection
        if getattr(connection, "_rapat_bound", False) or connection._local_candidates_start:
            continue
        connection._rapat_bound = True  # type: ignore[attr-defined]

        async def gather_host(
            component: int,
            addresses: list[str],  # what aioice found; `bind_to` replaces it
            timeout: int = 5,  # noqa: ASYNC109 - aioice's signature
            connection: Connection = connection,
        ) -> list[Candidate]:
            candidates = []
            for address in bind_to:
                protocol = await _bind(address, ports, lambda: StunProtocol(connection))
                bound = protocol.transport.get_extra_info("sockname")
                sock = protocol.transport.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
                host = advertised or bound[0]
                protocol.local_candidate = Candidate(
                    foundation=candidate_foundation("host", "udp", host),
                    component=component,
                    transport="udp",
                    priority=candidate_priority(component, "host"),
                    host=host,
                    port=bound[1],
                    type="host",
                )
                connection._protocols.append(protocol)
                candidates.append(protocol.local_candidate)
            return candidates

        connection.get_component_candidates = gather_host  # type: ignore[method-assign]
