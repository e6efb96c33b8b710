"""The aiortc hooks: fail loudly when aiortc changes, and keep renegotiation consistent."""

from __future__ import annotations

import pylibsrtp
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription, VideoStreamTrack, sdp
from aiortc.mediastreams import AudioStreamTrack
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket

from rapat.sfu.hooks import (
    AIORTC_VERSION,
    ForwardingReceiver,
    ForwardingSender,
    HookError,
    adopt_receiver,
    adopt_sender,
    create_offer,
    self_check,
)
from rapat.sfu.hooks.internals import RECEIVER_FIELDS
from rapat.sfu.hooks.srtp import SrtpCalls
from rapat.sfu.lean_estimator import LeanOveruseEstimator, WindowRate


async def test_installed_aiortc_fits_the_hooks() -> None:
    await self_check.verify()


async def test_another_aiortc_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(self_check, "version", lambda _: "9.9.9")
    with pytest.raises(HookError, match=AIORTC_VERSION):
        await self_check.verify()


async def test_a_moved_private_name_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(self_check, "RECEIVER_FIELDS", (*RECEIVER_FIELDS, "gone_in_upgrade"))
    with pytest.raises(HookError, match="RTCRtpReceiver lacks gone_in_upgrade"):
        await self_check.verify()


async def test_adoption_needs_fresh_objects_and_swaps_classes() -> None:
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("video", direction="sendrecv")

    def sink(packet: object) -> None:
        return None

    class Listener:
        def on_sending(self) -> None:
            return None

        def on_nack(self, lost: list[int]) -> None:
            return None

        def on_keyframe_request(self) -> None:
            return None

        def on_bitrate(self, bitrate: int) -> None:
            return None

    receiver = adopt_receiver(transceiver.receiver, sink)
    sender = adopt_sender(transceiver.sender, "stream", "track", Listener())
    assert isinstance(receiver, ForwardingReceiver)
    assert isinstance(sender, ForwardingSender)
    assert (sender._stream_id, sender._track_id) == ("stream", "track")
    assert not sender.ready  # not negotiated
    assert receiver._estimator is not None  # (a video receiver's, with the lean counter)
    assert isinstance(receiver._estimator.incoming_bitrate, WindowRate)
    assert isinstance(receiver._estimator.estimator, LeanOveruseEstimator)
    receiver._RTCRtpReceiver__started = True  # type: ignore[attr-defined]
    with pytest.raises(HookError, match="before it starts"):
        adopt_receiver(receiver, sink)
    receiver._RTCRtpReceiver__started = False  # type: ignore[attr-defined]  # (it never ran)
    await pc.close()


async def test_the_bandwidth_estimate_waits_for_the_rest_of_the_frame() -> None:
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("video", direction="recvonly")
    order: list[object] = []
    receiver = adopt_receiver(
        transceiver.receiver, lambda packet: order.append(packet.sequence_number)
    )
    receiver._codecs[96] = RTCRtpCodecParameters(
        mimeType="video/VP8", clockRate=90000, payloadType=96
    )
    assert receiver._estimates is not None
    estimate = receiver._estimates._add

    def estimating(*args: int) -> tuple[int, list[int]] | None:
        order.append("estimator")
        return estimate(*args)

    receiver._estimates._add = estimating  # type: ignore[assignment]

    def packet(seq: int, *, last: bool = True) -> RtpPacket:
        rtp = RtpPacket(
            payload_type=96, sequence_number=seq, timestamp=seq * 3000, ssrc=7, marker=last
        )
        rtp.payload = bytes(900)
        rtp.extensions.abs_send_time = seq * 5243  # 20 ms a packet, in 6.18 fixed point
        return rtp

    receiver.handle_rtp(packet(0), 1_000)
    # 60 ms later, with the batch due, a frame of three packets arrives at once: the
    # estimator runs once its last packet has gone to the sink
    receiver.handle_rtp(packet(1, last=False), 1_060)
    receiver.handle_rtp(packet(2, last=False), 1_060)
    receiver.handle_rtp(packet(3), 1_061)
    assert order == [0, 1, 2, 3, *["estimator"] * 4]
    assert receiver.uplink_estimate is None
    for seq in range(4, 200):  # ~4 s of frames: an estimate comes out
        receiver.handle_rtp(packet(seq), 1_000 + seq * 20)
    assert isinstance(receiver.uplink_estimate, int)
    assert receiver.uplink_estimate > 0
    await pc.close()


async def test_renegotiation_offer_keeps_the_negotiated_numbers() -> None:
    """A browser-like offer with its own payload types and extension ids; the server's
    later offer must re-offer those m-lines unchanged and align new ones with them."""
    client, server = RTCPeerConnection(), RTCPeerConnection()
    client.addTransceiver(AudioStreamTrack(), direction="sendonly")
    client.addTransceiver(VideoStreamTrack(), direction="sendonly")
    offer = await client.createOffer()
    description = sdp.SessionDescription.parse(offer.sdp)
    for media in description.media:  # renumber as a browser would
        for codec in media.rtp.codecs:
            codec.payloadType = {96: 111, 97: 120, 98: 121}.get(
                codec.payloadType, codec.payloadType
            )
            if "apt" in codec.parameters:
                codec.parameters["apt"] = 120
        media.fmt = [c.payloadType for c in media.rtp.codecs]
        for extension in media.rtp.headerExtensions:
            extension.id += 4
    await server.setRemoteDescription(RTCSessionDescription(str(description), "offer"))
    await server.setLocalDescription(await server.createAnswer())
    server.addTransceiver("video", direction="sendonly")
    again = sdp.SessionDescription.parse((await create_offer(server)).sdp)
    old_video, new_video = again.media[1], again.media[2]
    assert [c.payloadType for c in old_video.rtp.codecs][:2] == [120, 121]
    assert {e.id for e in old_video.rtp.headerExtensions} == {5, 7}
    vp8 = next(c for c in new_video.rtp.codecs if c.mimeType == "video/VP8")
    assert vp8.payloadType == 120
    mid = next(e for e in new_video.rtp.headerExtensions if e.uri.endswith("sdes:mid"))
    assert mid.id == 5
    await client.close()
    await server.close()


def test_direct_srtp_calls_protect_and_refuse_as_pylibsrtp_does() -> None:
    key = bytes(range(30))
    outbound = pylibsrtp.Policy(key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
    inbound = pylibsrtp.Policy(key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND)
    sender, receiver = SrtpCalls(pylibsrtp.Session(outbound)), pylibsrtp.Session(inbound)
    ours = SrtpCalls(pylibsrtp.Session(inbound))
    for seq in range(3):
        packet = bytes([0x80, 96, 0, seq, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes([seq]) * 100
        protected = sender.protect(packet)
        assert receiver.unprotect(protected) == packet
    again = SrtpCalls(pylibsrtp.Session(outbound)).protect(packet)
    assert ours.unprotect(again) == packet
    with pytest.raises(pylibsrtp.Error, match="replay"):
        ours.unprotect(again)
    later = sender.protect(bytes([0x80, 96, 0, 9, 0, 0, 0, 2, 0, 0, 0, 3]) + b"later")
    with pytest.raises(pylibsrtp.Error, match="auth"):
        ours.unprotect(later[:-1] + bytes([later[-1] ^ 1]))
    with pytest.raises(ValueError, match="too long"):
        sender.protect(bytes([0x80, 96]) + bytes(1400))


async def test_a_simulcast_receiver_learns_layers_and_their_repairs_by_rid() -> None:
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("video", direction="recvonly")
    got: list[tuple[int, int]] = []  # (ssrc, sequence number) as the sink sees them
    receiver = adopt_receiver(
        transceiver.receiver,
        lambda packet: got.append((packet.ssrc, packet.sequence_number)),
        simulcast_extensions=[],
    )
    receiver._codecs[96] = RTCRtpCodecParameters(
        mimeType="video/VP8", clockRate=90000, payloadType=96
    )
    receiver._codecs[97] = RTCRtpCodecParameters(
        mimeType="video/rtx", clockRate=90000, payloadType=97, parameters={"apt": 96}
    )
    receiver._rtx_payload_types.add(97)

    def media(ssrc: int, seq: int, rid: str | None) -> RtpPacket:
        rtp = RtpPacket(payload_type=96, sequence_number=seq, ssrc=ssrc, payload=b"v")
        rtp.extensions.rtp_stream_id = rid
        return rtp

    receiver.handle_rtp(media(10, 1, None), 0)  # whose layer: not said yet, dropped
    receiver.handle_rtp(media(10, 2, "q"), 0)
    receiver.handle_rtp(media(20, 500, "f"), 0)
    receiver.handle_rtp(media(10, 3, None), 0)  # known now
    receiver.handle_rtp(media(20, 502, None), 0)  # 501 lost on this layer only
    assert got == [(10, 2), (20, 500), (10, 3), (20, 502)]
    assert (receiver.rid_of(10), receiver.rid_of(20)) == ("q", "f")
    assert sorted(receiver.media_ssrcs) == [10, 20]
    assert receiver._layer_nacks[20].missing == {501}
    assert receiver._layer_nacks[10].missing == set()
    repair = RtpPacket(payload_type=97, sequence_number=7, ssrc=21, payload=b"\x01\xf5v")
    repair.extensions.repaired_rtp_stream_id = "f"  # RTX of layer f: original seq 501
    receiver.handle_rtp(repair, 0)
    assert got[-1] == (20, 501)
    assert sorted(receiver.media_ssrcs) == [10, 20]  # the RTX stream is no layer
    await pc.close()
