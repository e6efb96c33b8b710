"""The forwarding receiver: an RTCRtpReceiver whose packets go to a sink, never a decoder.

`adopt_receiver` swaps the class of a receiver aiortc made, before it starts: no decoder
thread, no jitter buffer; each packet (RTX unwrapped, statistics and NACKs kept, so
receiver reports flow) goes to the sink, and the publisher's uplink is estimated from the
packets' abs-send-time. A simulcast receiver takes several media SSRCs, signalled by no
a=ssrc line: it learns each one's rid from the rtp-stream-id extension of its first packets,
the RTX SSRC repairing it from the repaired-rtp-stream-id, and looks for losses per SSRC.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from aiortc import RTCRtpReceiver
from aiortc import clock as aiortc_clock
from aiortc.codecs import is_rtx
from aiortc.rate import RemoteBitrateEstimator
from aiortc.rtcrtpparameters import (
    RTCRtpCodecParameters,
    RTCRtpHeaderExtensionParameters,
    RTCRtpReceiveParameters,
)
from aiortc.rtcrtpreceiver import NackGenerator, StreamStatistics
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_PLI,
    RTCP_RTPFB_NACK,
    AnyRtcpPacket,
    RtcpPsfbPacket,
    RtcpReceiverInfo,
    RtcpRrPacket,
    RtcpRtpfbPacket,
    RtcpSrPacket,
    RtpPacket,
    pack_remb_fci,
    unwrap_rtx,
)
from aiortc.stats import RTCRemoteOutboundRtpStreamStats

from rapat.sfu.hooks.internals import HookError, get_private, set_private
from rapat.sfu.hooks.receive_path import RtpHandler, install_receive_path
from rapat.sfu.hooks.rtcp_reports import report_until_cancelled
from rapat.sfu.hooks.rtp_link import send_srtp
from rapat.sfu.lean_estimator import BatchedEstimator, make_lean

PacketSink = Callable[[RtpPacket], None]
ReportSink = Callable[[RtcpSrPacket], None]


class ForwardingReceiver(RTCRtpReceiver, RtpHandler):
    """An RTCRtpReceiver whose packets go to a sink instead of a decoder."""

    _sink: PacketSink | None
    _report_sink: ReportSink | None  # the publisher's sender reports, after aiortc's books
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
    # simulcast (decision 68): the extensions aiortc does not negotiate (rtp stream ids),
    # each media SSRC's rid, and a loss detector per SSRC
    _simulcast: bool
    _simulcast_extensions: list[RTCRtpHeaderExtensionParameters]
    _rids: dict[int, str]
    _layer_nacks: dict[int, NackGenerator]

    async def receive(self, parameters: RTCRtpReceiveParameters) -> None:
        if get_private(self, RTCRtpReceiver, "started"):
            return
        for codec in parameters.codecs:
            if codec.payloadType is not None:
                self._codecs[codec.payloadType] = codec
                if is_rtx(codec):
                    self._rtx_payload_types.add(codec.payloadType)
        for encoding in parameters.encodings:
            if encoding.rtx:
                self._rtx_ssrcs[encoding.rtx.ssrc] = encoding.ssrc
        transport = get_private(self, RTCRtpReceiver, "transport")
        transport._register_rtp_receiver(self, parameters)
        install_receive_path(transport).configure(
            [*parameters.headerExtensions, *self._simulcast_extensions]
        )
        set_private(self, RTCRtpReceiver, "rtcp_task", asyncio.ensure_future(self._run_rtcp()))
        set_private(self, RTCRtpReceiver, "started", True)

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
            if original is None and self._simulcast:
                original = self._learn_repair(packet)
            apt = codec.parameters.get("apt")
            if original is None or not isinstance(apt, int) or len(packet.payload) < 2:
                return
            packet = unwrap_rtx(packet, payload_type=apt, ssrc=original)
        elif self._simulcast and packet.ssrc not in self._rids:
            rid = packet.extensions.rtp_stream_id
            if rid is None:
                return  # whose layer it is comes with the stream's first packets
            self._rids[packet.ssrc] = rid
        nacks = self._nacks if not self._simulcast else self._nacks_of(packet.ssrc)
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

    def _learn_repair(self, packet: RtpPacket) -> int | None:
        """The media SSRC an RTX stream repairs, named by its repaired-rtp-stream-id."""
        rid = packet.extensions.repaired_rtp_stream_id
        original = next((ssrc for ssrc, r in self._rids.items() if r == rid), None)
        if original is not None:
            self._rtx_ssrcs[packet.ssrc] = original
        return original

    def _nacks_of(self, ssrc: int) -> NackGenerator:
        nacks = self._layer_nacks.get(ssrc)
        if nacks is None:
            nacks = self._layer_nacks[ssrc] = NackGenerator()
        return nacks

    def rid_of(self, ssrc: int) -> str | None:
        """The simulcast layer (rid) a media SSRC carries, once learnt."""
        return self._rids.get(ssrc)

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
        get_private(self, RTCRtpReceiver, "stats").add(
            RTCRemoteOutboundRtpStreamStats(
                timestamp=aiortc_clock.current_datetime(),
                type="remote-outbound-rtp",
                id=f"remote-outbound-rtp_{id(self)}",
                ssrc=packet.ssrc,
                kind=get_private(self, RTCRtpReceiver, "kind"),
                transportId=get_private(self, RTCRtpReceiver, "transport")._stats_id,
                packetsSent=info.packet_count,
                bytesSent=info.octet_count,
                remoteTimestamp=aiortc_clock.datetime_from_ntp(info.ntp_timestamp),
            )
        )
        self._lsr[packet.ssrc] = (info.ntp_timestamp >> 16) & 0xFFFFFFFF
        self._lsr_time[packet.ssrc] = time.time()
        if self._report_sink is not None:
            self._report_sink(packet)

    async def _run_rtcp(self) -> None:
        # aiortc's task per receiver would wake every second to send this receiver's report
        # in a datagram of its own; the transport's report timer sends it with the others.
        get_private(self, RTCRtpReceiver, "rtcp_started").set()
        try:
            await report_until_cancelled(self, get_private(self, RTCRtpReceiver, "transport"))
        finally:
            get_private(self, RTCRtpReceiver, "rtcp_exited").set()

    def report(self, now: float) -> bytes:
        """The receiver report on every stream received, as aiortc's task writes it (none
        before the receiver is negotiated or has received a packet)."""
        rtcp_ssrc: int | None = get_private(self, RTCRtpReceiver, "rtcp_ssrc")
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
        rtcp_ssrc: int | None = get_private(self, RTCRtpReceiver, "rtcp_ssrc")
        if rtcp_ssrc is None:
            return
        with contextlib.suppress(ConnectionError):
            send_srtp(
                get_private(self, RTCRtpReceiver, "transport"), bytes(build(rtcp_ssrc)), rtcp=True
            )

    @property
    def media_ssrcs(self) -> list[int]:
        """The SSRCs the publisher sends media on (not RTX)."""
        if self._simulcast:
            return list(self._rids)
        return [ssrc for ssrc in self._streams if ssrc not in self._rtx_ssrcs]


def adopt_receiver(
    receiver: RTCRtpReceiver,
    sink: PacketSink,
    report_sink: ReportSink | None = None,
    simulcast_extensions: list[RTCRtpHeaderExtensionParameters] | None = None,
) -> ForwardingReceiver:
    """Turn a not-yet-started receiver into a forwarding one (it never starts a decoder);
    `report_sink` is given the publisher's sender reports. `simulcast_extensions` (the
    offer's rtp-stream-id and repaired-rtp-stream-id, which aiortc does not negotiate)
    makes it a simulcast receiver."""
    if get_private(receiver, RTCRtpReceiver, "started"):
        raise HookError("A receiver can only be adopted before it starts.")
    receiver.__class__ = ForwardingReceiver
    forwarding: ForwardingReceiver = receiver  # type: ignore[assignment]
    forwarding._sink = sink
    forwarding._report_sink = report_sink
    forwarding.uplink_estimate = None
    forwarding._codecs = get_private(receiver, RTCRtpReceiver, "codecs")
    forwarding._rtx_payload_types = set()
    forwarding._rtx_ssrcs = get_private(receiver, RTCRtpReceiver, "rtx_ssrc")
    forwarding._streams = get_private(receiver, RTCRtpReceiver, "remote_streams")
    forwarding._nacks = get_private(receiver, RTCRtpReceiver, "nack_generator")
    forwarding._estimator = get_private(receiver, RTCRtpReceiver, "remote_bitrate_estimator")
    forwarding._lsr = get_private(receiver, RTCRtpReceiver, "lsr")
    forwarding._lsr_time = get_private(receiver, RTCRtpReceiver, "lsr_time")
    forwarding._estimates = None
    forwarding._simulcast = simulcast_extensions is not None
    forwarding._simulcast_extensions = list(simulcast_extensions or [])
    forwarding._rids = {}
    forwarding._layer_nacks = {}
    if forwarding._estimator is not None:
        make_lean(forwarding._estimator)
        forwarding._estimates = BatchedEstimator(forwarding._estimator)
    return forwarding
