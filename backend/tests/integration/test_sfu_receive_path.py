"""The synchronous SRTP receive path (`hooks.receive_path.install_receive_path`) between two
aiortc peers on this machine: forwarding receivers get their packets where the datagram
arrives, a decoding receiver on the same transport still decodes, and a failing sink costs
one packet, not the connection (on aiortc's own path it ended the transport's receive
task, so nothing more arrived)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiortc import RTCPeerConnection, RTCRtpTransceiver, VideoStreamTrack
from aiortc.mediastreams import AudioStreamTrack
from aiortc.rtp import RtcpPacket, RtcpRrPacket, RtpPacket

from rapat.sfu.hooks import ForwardingSender, adopt_receiver, adopt_sender, rtcp_reports, rtp_link
from rapat.sfu.rtptime import ntp_time
from tests.integration.media_clients import eventually
from tests.waiting import wait_until

Adopt = Callable[[RTCRtpTransceiver], None]
Connect = Callable[[Adopt], Awaitable[None]]


@pytest.fixture
async def peers() -> AsyncIterator[Connect]:
    """Connects a sender of audio and video to a receiver whose transceivers `adopt` may
    turn into forwarding ones before they start."""
    sender, receiver = RTCPeerConnection(), RTCPeerConnection()

    async def connect(adopt: Adopt) -> None:
        sender.addTrack(AudioStreamTrack())
        sender.addTrack(VideoStreamTrack())
        await sender.setLocalDescription(await sender.createOffer())
        await receiver.setRemoteDescription(sender.localDescription)
        for transceiver in receiver.getTransceivers():
            adopt(transceiver)
        await receiver.setLocalDescription(await receiver.createAnswer())
        await sender.setRemoteDescription(receiver.localDescription)

    yield connect
    await sender.close()
    await receiver.close()


async def test_forwarding_and_decoding_receivers_share_one_transport(
    peers: Connect,
) -> None:
    audio: list[RtpPacket] = []
    video: list[RTCRtpTransceiver] = []

    def adopt(transceiver: RTCRtpTransceiver) -> None:
        if transceiver.kind == "audio":
            adopt_receiver(transceiver.receiver, audio.append)
        else:
            video.append(transceiver)

    await peers(adopt)
    await eventually(lambda: len(audio) >= 10, what="audio packets on the receive path")
    assert len({packet.sequence_number for packet in audio}) == len(audio)
    frame = await asyncio.wait_for(video[0].receiver.track.recv(), 10)
    assert frame.width > 0  # decoded: the video receiver kept aiortc's own path


async def test_a_failing_sink_loses_its_packet_not_the_connection(
    peers: Connect,
) -> None:
    seen: list[int] = []

    def sink(packet: RtpPacket) -> None:
        seen.append(packet.sequence_number)
        if len(seen) == 1:
            raise RuntimeError("a bug in the fan-out")

    def ignore(packet: RtpPacket) -> None:
        return None

    def adopt(transceiver: RTCRtpTransceiver) -> None:
        adopt_receiver(transceiver.receiver, sink if transceiver.kind == "audio" else ignore)

    await peers(adopt)
    await eventually(lambda: len(seen) >= 10, what="packets after the failing one")


class Listener:
    def on_sending(self) -> None:
        return None

    def on_nack(self, lost: list[int]) -> None:
        return None

    def on_keyframe_request(self) -> None:
        return None

    def on_bitrate(self, bitrate: int) -> None:
        return None


async def test_sender_reports_go_out_and_receiver_reports_come_back() -> None:
    """The forwarding sender's report (from the transport's report timer) reaches the
    receiver with what was sent; the receiver's report, handled on the receive path, gives
    the sender a round-trip time."""
    server, client = RTCPeerConnection(), RTCPeerConnection()
    transceiver = server.addTransceiver("video", direction="sendonly")
    sender = adopt_sender(transceiver.sender, "stream", "track", Listener())
    await server.setLocalDescription(await server.createOffer())
    await client.setRemoteDescription(server.localDescription)
    received: list[RtpPacket] = []
    receiver = adopt_receiver(client.getTransceivers()[0].receiver, received.append)
    await client.setLocalDescription(await client.createAnswer())
    await server.setRemoteDescription(client.localDescription)
    try:
        await eventually(lambda: sender.ready, what="a connected sender")
        assert isinstance(sender, ForwardingSender)

        async def feed() -> None:
            for seq in range(200):
                packet = RtpPacket(payload_type=96, payload=b"\x10\x00" + bytes(100))
                sender.forward(packet, seq, seq * 3000, ntp_time(time.time()))
                await asyncio.sleep(0.02)

        feeding = asyncio.ensure_future(feed())

        async def stats(report_of: Callable[[], Awaitable[object]]) -> dict[str, object]:
            return {s.type: s for s in (await report_of()).values()}  # type: ignore[attr-defined]

        async def reports_both_ways() -> tuple[object, object] | None:
            sent = (await stats(receiver.getStats)).get("remote-outbound-rtp")
            back = (await stats(sender.getStats)).get("remote-inbound-rtp")
            if sent is not None and back is not None and sender.round_trip_time is not None:
                return sent, back
            return None

        sent, back = await wait_until(
            reports_both_ways, 8.0, "a report back with a round-trip time", interval=0.1
        )
        assert sender.round_trip_time is not None  # as the wait found it (for mypy)
        assert 0 < sent.packetsSent <= sender.packets_sent  # type: ignore[attr-defined]
        assert 0 <= sender.round_trip_time < 1
        assert back.roundTripTime == sender.round_trip_time  # type: ignore[attr-defined]
        assert received
        # The receiver reported on the client transport's timer, not from a task of its own,
        # with the publisher's last report time (LSR) and the delay since (DLSR).
        client_transport = client.getTransceivers()[0].receiver.transport
        assert receiver in rtcp_reports.report_timer_of(client_transport)._reporters
        now = time.time() + 0.5
        (rr,) = RtcpPacket.parse(receiver.report(now))
        assert isinstance(rr, RtcpRrPacket)
        assert [r.ssrc for r in rr.reports] == [sender._ssrc]
        assert rr.reports[0].lsr != 0
        # (the last sender report arrived up to a report interval, 0.5-1.5 s, before)
        since_report = now - receiver._lsr_time[sender._ssrc]
        assert 0.5 <= since_report < 2.5
        assert rr.reports[0].dlsr == int(since_report * 65536)
        feeding.cancel()
    finally:
        await server.close()
        await client.close()


async def forwarding_pair(
    server: RTCPeerConnection, client: RTCPeerConnection, received: list[RtpPacket]
) -> ForwardingSender:
    """A forwarding sender on `server` connected to a forwarding receiver on `client`."""
    transceiver = server.addTransceiver("video", direction="sendonly")
    sender = adopt_sender(transceiver.sender, "stream", "track", Listener())
    await server.setLocalDescription(await server.createOffer())
    await client.setRemoteDescription(server.localDescription)
    adopt_receiver(client.getTransceivers()[0].receiver, received.append)
    await client.setLocalDescription(await client.createAnswer())
    await server.setRemoteDescription(client.localDescription)
    await eventually(lambda: sender.ready, what="a connected sender")
    return sender


def send_some(sender: ForwardingSender, count: int) -> None:
    for seq in range(count):
        packet = RtpPacket(payload_type=96, payload=b"\x10\x00" + bytes(100))
        assert sender.forward(packet, seq, seq * 3000, ntp_time(time.time())) is not None


async def test_rtp_leaves_through_a_socket_connected_to_the_nominated_address() -> None:
    server, client = RTCPeerConnection(), RTCPeerConnection()
    received: list[RtpPacket] = []
    try:
        sender = await forwarding_pair(server, client, received)
        send_some(sender, 20)
        await eventually(lambda: len(received) == 20, what="every packet at the client")
        assert [p.sequence_number for p in received] == list(range(20))
        link = rtp_link.link_of(sender.transport)
        pair = sender.transport.transport._connection._nominated[1]
        assert link.socket is not None
        assert link.socket.getpeername()[:2] == pair.remote_addr[:2]
        stats = {s.type: s for s in (await server.getStats()).values()}
        assert stats["transport"].packetsSent >= 20  # type: ignore[attr-defined]  # still counted
        # ICE's consent check (RFC 7675) still goes out on that socket and is answered
        connection = sender.transport.transport._connection
        assert connection.remote_password is not None
        response, _ = await pair.protocol.request(
            connection.build_request(pair, nominate=False),
            pair.remote_addr,
            integrity_key=connection.remote_password.encode(),
            retransmissions=0,
        )
        assert response.message_class.name == "RESPONSE"
    finally:
        await server.close()
        await client.close()
    assert link.socket.fileno() == -1  # closed with the transport: no descriptor left open


async def test_without_a_socket_to_connect_rtp_goes_through_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rtp_link, "_connected_copy", lambda transport, remote: None)
    server, client = RTCPeerConnection(), RTCPeerConnection()
    received: list[RtpPacket] = []
    try:
        sender = await forwarding_pair(server, client, received)
        send_some(sender, 20)
        await eventually(lambda: len(received) == 20, what="every packet at the client")
        assert rtp_link.link_of(sender.transport).socket is None
    finally:
        await server.close()
        await client.close()
    packet = RtpPacket(payload_type=96, payload=b"\x10\x00")
    assert sender.forward(packet, 99, 0, ntp_time(time.time())) is None  # closed: not sent
