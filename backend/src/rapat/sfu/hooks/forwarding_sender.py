"""The forwarding sender: an RTCRtpSender that sends the packets it is given, no encoder.

`adopt_sender` swaps the class of a sender aiortc made, before it starts: the SFU hands it
packets to send under its SSRC (`forward`, `resend`), and it reports what arrives in RTCP
(NACK, PLI/FIR, REMB) to a listener. Its sender reports go out on the transport's report
timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import time
from typing import Protocol

from aiortc import RTCRtpSender
from aiortc import clock as aiortc_clock
from aiortc.codecs import is_rtx
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtcdtlstransport import State as DtlsState
from aiortc.rtcrtpparameters import RTCRtpCodecParameters, RTCRtpSendParameters
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_FIR,
    RTCP_PSFB_PLI,
    RTCP_RTPFB_NACK,
    AnyRtcpPacket,
    RtcpByePacket,
    RtcpPsfbPacket,
    RtcpReceiverInfo,
    RtcpRrPacket,
    RtcpRtpfbPacket,
    RtcpSdesPacket,
    RtcpSenderInfo,
    RtcpSourceInfo,
    RtcpSrPacket,
    RtpPacket,
    unpack_remb_fci,
    wrap_rtx,
)
from aiortc.stats import RTCRemoteInboundRtpStreamStats, RTCStatsReport

from rapat.sfu.hooks.internals import HookError, get_private
from rapat.sfu.hooks.receive_path import RtcpHandler, install_receive_path
from rapat.sfu.hooks.rtcp_reports import report_until_cancelled
from rapat.sfu.hooks.rtp_link import RtpLink, link_of, send_srtp
from rapat.sfu.rtp_header import HeaderWriter
from rapat.sfu.rtptime import abs_send_time


class RtcpListener(Protocol):
    """What a forwarding sender reports to the subscription it sends for."""

    def on_sending(self) -> None:
        """Negotiated and started (again, after each renegotiation that keeps it)."""
        ...

    def on_nack(self, lost: list[int]) -> None: ...

    def on_keyframe_request(self) -> None: ...

    def on_bitrate(self, bitrate: int) -> None: ...


class ForwardingSender(RTCRtpSender, RtcpHandler):
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
        if not get_private(self, RTCRtpSender, "started"):
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
        get_private(self, RTCRtpSender, "rtp_started").set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            pass
        finally:
            get_private(self, RTCRtpSender, "rtp_exited").set()

    @property
    def ready(self) -> bool:
        """Negotiated and connected: packets can go out."""
        # (`_state`, not the `state` property, which formats a string on every packet)
        dtls = self._dtls
        return dtls is not None and dtls._state is DtlsState.CONNECTED

    def forward(  # (called per packet and subscriber: positional is cheaper)
        self,
        packet: RtpPacket,
        seq: int,
        timestamp: int,
        ntp: int,
        payload: bytes | None = None,
    ) -> bytes | None:
        """Send `packet` as this sender's stream with the given sequence number and
        timestamp, `ntp` (the time it is forwarded) in its abs-send-time; returns the bytes
        sent (before SRTP), for the retransmission cache, or None when the transport is not
        connected (nothing is sent). The payload is sent unchanged, or as `payload` (a
        simulcast copy's rewritten VP8 descriptor)."""
        # (runs per packet and subscriber: kept to the fewest calls)
        dtls = self._dtls
        if dtls is None or dtls._state is not DtlsState.CONNECTED:
            return None
        writer = self._writer
        padding = packet.padding_size
        if payload is None:
            payload = packet.payload
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
                + payload
            )
            if padding:
                data += os.urandom(padding - 1) + bytes([padding])
        else:
            data = self._serialize(packet, seq, timestamp, abs_send_time(ntp), payload)
        link = self._link
        if link is None:
            try:
                link = self._link = link_of(dtls)
            except ConnectionError:
                return None
        link.send(data)
        self.last_ntp = ntp
        self.last_timestamp = timestamp
        self.octets_sent += len(payload)
        self.packets_sent += 1
        return data

    def _serialize(
        self, packet: RtpPacket, seq: int, timestamp: int, abs_send_time: int, payload: bytes
    ) -> bytes:
        assert self._payload_type is not None
        out = RtpPacket(
            payload_type=self._payload_type,
            marker=packet.marker,
            sequence_number=seq,
            timestamp=timestamp,
            ssrc=self._ssrc,
            payload=payload,
        )
        out.padding_size = packet.padding_size
        out.extensions.mid = self._mid
        out.extensions.audio_level = packet.extensions.audio_level
        out.extensions.abs_send_time = abs_send_time
        data: bytes = out.serialize(get_private(self, RTCRtpSender, "rtp_header_extensions_map"))
        return data

    def resend(self, data: bytes) -> None:
        """Retransmit a cached packet, wrapped in RTX where RTX was negotiated. Raises
        ConnectionError when not connected."""
        if self._rtx_payload_type is not None:
            extensions = get_private(self, RTCRtpSender, "rtp_header_extensions_map")
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
        get_private(self, RTCRtpSender, "rtcp_started").set()
        try:
            await report_until_cancelled(self, self.transport)
        finally:
            with contextlib.suppress(ConnectionError):
                send_srtp(self.transport, bytes(RtcpByePacket(sources=[self._ssrc])), rtcp=True)
            get_private(self, RTCRtpSender, "rtcp_exited").set()

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


def adopt_sender(
    sender: RTCRtpSender, stream_id: str, track_id: str, listener: RtcpListener
) -> ForwardingSender:
    """Turn a not-yet-started sender into a forwarding one, announced in SDP as
    `msid:<stream_id> <track_id>`."""
    if get_private(sender, RTCRtpSender, "started"):
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
    forwarding._stats = get_private(sender, RTCRtpSender, "stats")
    forwarding._stream_id = stream_id
    forwarding._track_id = track_id
    return forwarding


def detach_sender(sender: ForwardingSender) -> None:
    """Forget the listener, so a stopped subscription keeps nothing alive. The stopped
    m-line stays in every later offer; it gives up its track id, which a new subscription to
    the same person (after they rejoin) takes: browsers refuse an SDP that repeats an msid."""
    sender._listener = None
    sender._track_id = f"ended-{secrets.token_hex(8)}"
