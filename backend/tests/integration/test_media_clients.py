"""The aiortc participants of the SFU tests connect as the web app does: one bundled
transport for everything they receive, whatever the SFU offers first."""

from __future__ import annotations

from aiortc import RTCConfiguration, RTCPeerConnection, VideoStreamTrack
from aiortc.mediastreams import AudioStreamTrack
from aiortc.rtcconfiguration import RTCBundlePolicy, RTCIceTransportPolicy

from tests.integration.media_clients import sfu_connection


async def test_a_first_offer_of_two_cameras_is_received_on_the_one_bundled_transport() -> None:
    # What a late joiner is offered first: two people's microphone and camera (the SFU's
    # connection is max-bundle too).
    sfu = RTCPeerConnection(RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))
    for track in (AudioStreamTrack(), VideoStreamTrack(), AudioStreamTrack(), VideoStreamTrack()):
        sfu.addTransceiver(track, direction="sendonly")
    client = sfu_connection()
    try:
        await sfu.setLocalDescription(await sfu.createOffer())
        await client.setRemoteDescription(sfu.localDescription)
        await client.setLocalDescription(await client.createAnswer())
        receiving = client.getTransceivers()
        assert [t.mid for t in receiving] == ["0", "1", "2", "3"]
        bundled = receiving[0].receiver.transport
        # (with aiortc's default policy, balanced, the second camera kept a transport of
        # its own, stopped by the BUNDLE: it never received, and its answer said port 9)
        assert all(t.receiver.transport is bundled for t in receiving)
        ports = {
            line.split()[1]
            for line in client.localDescription.sdp.splitlines()
            if line.startswith("m=")
        }
        assert len(ports) == 1
        assert ports != {"9"}
    finally:
        await client.close()
        await sfu.close()


async def test_the_other_settings_of_a_configuration_are_kept() -> None:
    # relay only, and no TURN server given: no candidate at all, where the default policy
    # would offer the host's own addresses
    client = sfu_connection(RTCConfiguration(iceTransportPolicy=RTCIceTransportPolicy.RELAY))
    try:
        client.addTransceiver(VideoStreamTrack(), direction="sendonly")
        await client.setLocalDescription(await client.createOffer())
        assert "a=candidate:" not in client.localDescription.sdp
    finally:
        await client.close()
