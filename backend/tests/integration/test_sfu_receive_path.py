"""The synchronous SRTP receive path (`aiortc_hooks.install_receive_path`) between two
aiortc peers on this machine: forwarding receivers get their packets where the datagram
arrives, a decoding receiver on the same transport still decodes, and a failing sink costs
one packet, not the connection (on aiortc's own path it ended the transport's receive
task, so nothing more arrived)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiortc import RTCPeerConnection, RTCRtpTransceiver, VideoStreamTrack
from aiortc.mediastreams import AudioStreamTrack
from aiortc.rtp import RtpPacket

from rapat.sfu.aiortc_hooks import adopt_receiver
from tests.integration.media_clients import eventually

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
