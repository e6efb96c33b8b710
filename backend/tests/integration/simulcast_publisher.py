"""A participant that publishes its camera as VP8 simulcast, as a browser does with three
`sendEncodings`: one m-line whose offer lists the rids (`a=rid`, `a=simulcast:send`) and no
SSRC, three layers of really encoded VP8 on SSRCs of their own, every packet carrying its
mid and rid in header extensions, and a keyframe of a layer on each PLI for its SSRC.

aiortc cannot send simulcast, so the m-line comes from a transceiver whose track never
yields a frame, the offer is rewritten before it is sent, and the layers are encoded here
and sent on the connection's DTLS transport."""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
from typing import Any

from aiortc.codecs.vpx import Vp8Encoder
from aiortc.mediastreams import MediaStreamTrack
from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters, RTCRtpParameters
from aiortc.rtp import RTCP_PSFB_PLI, HeaderExtensionsMap, RtcpPsfbPacket, RtpPacket
from av import VideoFrame

from tests.integration.media_clients import MediaClient, eventually

RIDS = ("q", "h", "f")
SIZES = ((160, 90), (320, 180), (640, 360))
BITRATES = (100_000, 300_000, 900_000)
RID_ID, REPAIRED_RID_ID = 10, 11
MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid"
RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
FPS = 15


class Silent(MediaStreamTrack):
    """A camera track that yields nothing: its m-line is negotiated, its sender idles."""

    kind = "video"

    async def recv(self) -> Any:
        await asyncio.Event().wait()


def simulcast_offer(sdp: str) -> str:
    """aiortc's offer with its video section turned into a browser's simulcast one."""
    out: list[str] = []
    video = False
    for line in sdp.splitlines():
        if line.startswith("m="):
            video = line.startswith("m=video")
        if video and line.startswith(("a=ssrc:", "a=ssrc-group:")):
            continue
        out.append(line)
        if video and line.startswith("a=mid:"):
            out += [
                f"a=extmap:{RID_ID} {RID_URI}",
                f"a=extmap:{REPAIRED_RID_ID} {REPAIRED_RID_URI}",
                *[f"a=rid:{rid} send" for rid in RIDS],
                "a=simulcast:send " + ";".join(RIDS),
            ]
    return "\r\n".join(out) + "\r\n"


class _PliListener:
    """Stands for a layer's sender in the client's RTCP routing: a PLI asks for a keyframe."""

    def __init__(self, publisher: SimulcastPublisher, layer: int) -> None:
        self._publisher, self._layer = publisher, layer

    async def _handle_rtcp_packet(self, packet: Any) -> None:
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_PLI:
            self._publisher.force_keyframe[self._layer] = True
            self._publisher.plis[self._layer] += 1


class SimulcastPublisher:
    def __init__(self, client: MediaClient) -> None:
        self.client = client
        self.transceiver = client.pc.addTransceiver(Silent(), direction="sendonly")
        self.ssrcs = [random.randint(1, 2**32 - 1) for _ in RIDS]
        self.force_keyframe = [True for _ in RIDS]
        self.plis = [0 for _ in RIDS]
        self.keyframes = [0 for _ in RIDS]
        self.frames_sent = 0
        self.paused_layers: set[int] = set()
        self._task: asyncio.Task[None] | None = None

    async def publish(self) -> None:
        await self.client.publish(munge=simulcast_offer)
        self._task = asyncio.ensure_future(self._send())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _send(self) -> None:
        transport = self.transceiver.sender.transport
        await eventually(lambda: transport.state == "connected", what="the publisher's DTLS")
        sdp = self.client.pc.localDescription.sdp
        payload_type = int(re.findall(r"a=rtpmap:(\d+) VP8/90000", sdp)[0])
        extensions = HeaderExtensionsMap()
        extensions.configure(
            RTCRtpParameters(
                headerExtensions=[
                    RTCRtpHeaderExtensionParameters(id=1, uri=MID_URI),
                    RTCRtpHeaderExtensionParameters(id=RID_ID, uri=RID_URI),
                ]
            )
        )
        for layer, ssrc in enumerate(self.ssrcs):
            listener: Any = _PliListener(self, layer)  # (only its RTCP handler is called)
            transport._rtp_router.register_sender(listener, ssrc)
        encoders = [Vp8Encoder() for _ in RIDS]
        for encoder, bitrate in zip(encoders, BITRATES, strict=True):
            encoder.target_bitrate = bitrate
        sequences = [random.randint(0, 65535) for _ in RIDS]
        origins = [random.randint(0, 2**32 - 1) for _ in RIDS]  # each layer its own clock
        mid = self.transceiver.mid
        frame_number = 0
        while True:
            for layer, (width, height) in enumerate(SIZES):
                if layer in self.paused_layers:
                    continue
                key = self.force_keyframe[layer]
                self.force_keyframe[layer] = False
                payloads, _ = encoders[layer].encode(picture(width, height, frame_number), key)
                self.keyframes[layer] += key
                timestamp = (origins[layer] + frame_number * 90_000 // FPS) % 2**32
                for index, payload in enumerate(payloads):
                    packet = RtpPacket(
                        payload_type=payload_type,
                        marker=int(index == len(payloads) - 1),
                        sequence_number=sequences[layer],
                        timestamp=timestamp,
                        ssrc=self.ssrcs[layer],
                        payload=payload,
                    )
                    packet.extensions.mid = mid
                    packet.extensions.rtp_stream_id = RIDS[layer]
                    sequences[layer] = (sequences[layer] + 1) % 65536
                    with contextlib.suppress(ConnectionError):
                        await transport._send_rtp(packet.serialize(extensions))
            frame_number += 1
            self.frames_sent = frame_number
            await asyncio.sleep(1 / FPS)


def picture(width: int, height: int, number: int) -> VideoFrame:
    """A frame with a gradient moving sideways (so deltas carry something)."""
    frame = VideoFrame(width, height, "yuv420p")
    for index, plane in enumerate(frame.planes):
        rows = height if index == 0 else height // 2
        if index == 0:
            row = bytes((x * 2 + number * 6) % 256 for x in range(plane.line_size))
        else:
            row = bytes([128]) * plane.line_size
        plane.update(row * rows)
    return frame
