"""aiortc participants for SFU tests: they join over the real WebSocket, publish synthetic
(really encoded) audio and video, answer the SFU's offers and record what arrives.

The WebSocket is either the test client's, to an app in this process (`InProcessSocket`),
or a network connection to a server started as a process (`NetworkSocket`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import anyio
import websockets.sync.client
from aiortc import (
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpTransceiver,
    RTCSessionDescription,
    VideoStreamTrack,
)
from aiortc.mediastreams import AudioStreamTrack, MediaStreamTrack
from aiortc.rtcconfiguration import RTCBundlePolicy
from aiortc.rtp import RtcpPsfbPacket, RtpPacket
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect
from websockets.exceptions import ConnectionClosed

from rapat.sfu.hooks import ForwardingReceiver, adopt_receiver
from tests.waiting import wait_until


def sfu_connection(configuration: RTCConfiguration | None = None) -> RTCPeerConnection:
    """A participant's connection to the SFU, bundled as the web app's is (`max-bundle`,
    frontend/src/rtc/peer-connection.ts), whatever else `configuration` sets.

    Not aiortc's default (`balanced`): a client whose first description is an offer with
    two m-lines of one kind (a late joiner receiving two people's cameras) gets the second
    on a transport of its own, which the BUNDLE then stops without moving that m-line to
    the bundled one (aiortc 1.16). That m-line never receives; the SFU's packets for it
    reach the first m-line of its kind (aiortc routes an unknown SSRC by payload type),
    whose decoder then gets two streams interleaved and seldom shows a picture.
    """
    bundled = replace(configuration or RTCConfiguration(), bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
    return RTCPeerConnection(bundled)


@dataclass
class Received:
    """Packets one client got on one track (raw clients only)."""

    packets: list[RtpPacket] = field(default_factory=list)
    arrival: list[float] = field(default_factory=list)


class SignalingSocket(Protocol):
    """What a participant needs of its WebSocket; reading happens in a worker thread."""

    def send_text(self, data: str) -> None: ...

    def receive_text(self) -> str | None:
        """The next message, or None after a short wait (so closing never hangs); raises
        WebSocketDisconnect once the socket is closed."""
        ...

    def close(self) -> None: ...


class InProcessSocket:
    """The test client's WebSocket to an app running in this process."""

    def __init__(self, ws: WebSocketTestSession) -> None:
        self._ws = ws

    def send_text(self, data: str) -> None:
        self._ws.send_text(data)

    def receive_text(self) -> str | None:
        async def get() -> Any:
            with anyio.move_on_after(0.2):
                return await self._ws._send_rx.receive()
            return None

        message = self._ws.portal.call(get)
        if message is None:
            return None
        self._ws._raise_on_close(message)
        text: str = message["text"]
        return text

    def close(self) -> None:
        self._ws.close()


class NetworkSocket:
    """A WebSocket to a server in another process (`ws://host:port/ws?...`)."""

    def __init__(self, url: str) -> None:
        # websockets wants its context manager entered (close() leaves it)
        self._connection = websockets.sync.client.connect(url, open_timeout=10)
        self._ws = self._connection.__enter__()

    def send_text(self, data: str) -> None:
        self._ws.send(data)

    def receive_text(self) -> str | None:
        try:
            message = self._ws.recv(timeout=0.2)
        except TimeoutError:
            return None
        except ConnectionClosed as closed:
            raise WebSocketDisconnect(closed.rcvd.code if closed.rcvd else 1006) from None
        return message if isinstance(message, str) else message.decode()

    def close(self) -> None:
        self._connection.__exit__(None, None, None)


class MediaClient:
    def __init__(
        self,
        ws: SignalingSocket,
        raw: bool = False,
        session: Any = None,
        configuration: RTCConfiguration | None = None,
    ) -> None:
        self.ws = ws
        self._session = session  # the context manager that opened `ws`
        self.raw = raw  # record packets instead of decoding
        # ICE servers and policy, e.g. relay-only through TURN; None: host candidates.
        self.pc = sfu_connection(configuration)
        self.tracks: dict[str, MediaStreamTrack] = {}  # by track id, e.g. "camera:<user>"
        self.received: dict[str, Received] = {}
        self.events: list[dict[str, Any]] = []
        self.sent_payloads: list[bytes] = []
        self._reader: asyncio.Task[None] | None = None
        self._answered = asyncio.Event()
        self._offers = 0
        # Tracks the SFU offers on joining (what others publish, set by who connects us):
        # publishing waits for them, since aiortc cannot roll back an offer of its own.
        self.owed_tracks = 0
        self._stopped = False
        self._last_signal = time.monotonic()
        self.direct: RTCPeerConnection | None = None
        self.direct_tracks: list[MediaStreamTrack] = []

    # --- signaling -------------------------------------------------------------------------

    def send(self, kind: str, data: Any = None, id: str | None = None) -> None:
        message: dict[str, Any] = {"type": kind, "data": data or {}}
        if id is not None:
            message["id"] = id
        self.ws.send_text(json.dumps(message))

    def start(self) -> None:
        self._reader = asyncio.ensure_future(self._read())

    def _receive_once(self) -> dict[str, Any] | None:
        """The next event, or None after a short wait (so closing never hangs)."""
        text = self.ws.receive_text()
        if text is None:
            return None
        event: dict[str, Any] = json.loads(text)
        return event

    async def _read(self) -> None:
        while not self._stopped:
            try:
                message = await asyncio.to_thread(self._receive_once)
            except (WebSocketDisconnect, RuntimeError):
                return
            if message is None:
                continue
            self._last_signal = time.monotonic()
            try:
                await self._handle(message)
            except Exception as exc:  # kept for the test to see, the reader goes on
                self.events.append({"type": "client_error", "data": {"error": repr(exc)}})

    async def _handle(self, message: dict[str, Any]) -> None:
        sender = message["data"].get("from") if isinstance(message.get("data"), dict) else None
        if message["type"] in ("offer", "answer") and sender not in (None, "sfu"):
            await self._direct(message["type"], sender, message["data"]["sdp"])
        elif message["type"] == "offer" and sender == "sfu":
            await self._answer(message["data"]["sdp"])
        elif message["type"] == "answer" and message["data"].get("from") == "sfu":
            await self.pc.setRemoteDescription(
                RTCSessionDescription(message["data"]["sdp"], "answer")
            )
            self._answered.set()
        else:
            self.events.append(message)

    # --- peer-to-peer (media_mode "p2p") ------------------------------------------------

    def direct_connection(self) -> RTCPeerConnection:
        if self.direct is None:
            self.direct = RTCPeerConnection()

            @self.direct.on("track")
            def arrived(track: MediaStreamTrack) -> None:
                self.direct_tracks.append(track)

        return self.direct

    async def call(self, peer: str) -> None:
        """Offer our tracks straight to `peer`; signaling relays the offer."""
        pc = self.direct_connection()
        for track in (AudioStreamTrack(), VideoStreamTrack()):
            pc.addTransceiver(track, direction="sendrecv")
        await pc.setLocalDescription(await pc.createOffer())
        self.send("offer", {"to": peer, "sdp": pc.localDescription.sdp})

    async def _direct(self, kind: str, peer: str, sdp: str) -> None:
        pc = self.direct_connection()
        await pc.setRemoteDescription(RTCSessionDescription(sdp, kind))
        if kind == "offer":
            for transceiver in pc.getTransceivers():
                if transceiver.sender.track is None:
                    track = (
                        AudioStreamTrack() if transceiver.kind == "audio" else VideoStreamTrack()
                    )
                    transceiver.sender.replaceTrack(track)
                    transceiver.direction = "sendrecv"
            await pc.setLocalDescription(await pc.createAnswer())
            self.send("answer", {"to": peer, "sdp": pc.localDescription.sdp})

    async def settle(self, quiet: float = 0.4) -> None:
        """Wait until no negotiation is under way: aiortc cannot roll an offer back, so this
        client (unlike a browser) avoids glare instead of resolving it."""
        await eventually(
            lambda: (
                self.pc.signalingState == "stable" and time.monotonic() - self._last_signal > quiet
            ),
            what="a settled negotiation",
        )

    async def _answer(self, sdp: str) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp, "offer"))
        self._offers += 1
        for transceiver in self.pc.getTransceivers():
            self._track_arrived(transceiver)
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        self.send("answer", {"sdp": self.pc.localDescription.sdp})

    def _track_arrived(self, transceiver: RTCRtpTransceiver) -> None:
        track = transceiver.receiver.track
        if track is None or track.id in self.tracks:
            return
        self.tracks[track.id] = track
        if self.raw and not isinstance(transceiver.receiver, ForwardingReceiver):
            record = self.received.setdefault(track.id, Received())

            def sink(packet: RtpPacket, record: Received = record) -> None:
                record.packets.append(packet)
                record.arrival.append(time.monotonic())

            adopt_receiver(transceiver.receiver, sink)

    async def wait_event(self, kind: str, seconds: float = 5.0) -> dict[str, Any]:
        """The first `kind` event received, taken out of `events`."""

        def take() -> dict[str, Any] | None:
            for event in self.events:
                if event["type"] == kind:
                    self.events.remove(event)
                    return event
            return None

        return await wait_until(
            take, seconds, lambda: f"a {kind} event; got {[e['type'] for e in self.events]}"
        )

    # --- media -----------------------------------------------------------------------------

    def add_tracks(self, audio: bool = True, video: bool = True) -> list[MediaStreamTrack]:
        tracks: list[MediaStreamTrack] = []
        if audio:
            tracks.append(AudioStreamTrack())
        if video:
            tracks.append(VideoStreamTrack())
        for track in tracks:
            self.pc.addTransceiver(track, direction="sendonly")
        return tracks

    @property
    def publishing(self) -> int:
        """How many tracks this client sends to the SFU now."""
        if self._stopped:
            return 0
        return sum(
            1
            for transceiver in self.pc.getTransceivers()
            if transceiver.currentDirection in ("sendonly", "sendrecv")
            and transceiver.sender.track is not None
        )

    async def publish(self, munge: Callable[[str], str] | None = None) -> None:
        """Offer what was added; wait for the SFU's answer. The SFU's own offer of what
        others publish comes first: ours would cross it (glare). `munge` rewrites the offer
        as sent (aiortc keeps its own)."""
        await eventually(
            lambda: len(self.tracks) >= self.owed_tracks,
            what=f"the {self.owed_tracks} tracks others publish, before offering ours",
        )
        await self.settle()
        self._answered.clear()
        await self.pc.setLocalDescription(await self.pc.createOffer())
        sdp = self.pc.localDescription.sdp
        self.send("offer", {"sdp": munge(sdp) if munge else sdp}, id="offer")
        try:
            await asyncio.wait_for(self._answered.wait(), 10)
        except TimeoutError:
            raise AssertionError(f"no answer from the SFU; events: {self.events}") from None

    def record_sent_payloads(self) -> None:
        """Keep the payload of every RTP packet this client sends (before SRTP)."""
        transport = self.pc.getTransceivers()[0].sender.transport
        original = transport._send_rtp

        async def recording(data: bytes) -> None:
            if data[1] & 0x7F not in range(72, 77):  # not RTCP
                self.sent_payloads.append(RtpPacket.parse(data).payload)
            await original(data)

        transport._send_rtp = recording  # type: ignore[method-assign]

    async def close(self) -> None:
        self._stopped = True
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._reader, 2)
        with contextlib.suppress(Exception):
            self.ws.close()
        if self._session is not None:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self._session.__exit__, None, None, None)
        await self.pc.close()
        if self.direct is not None:
            await self.direct.close()


def watch_feedback(sender: Any, fmt: int) -> list[tuple[float, RtcpPsfbPacket]]:
    """Payload-specific feedback (PLI, REMB…) of type `fmt` that reaches a publisher's
    sender, with its arrival time, in order; the sender still handles every packet."""
    seen: list[tuple[float, RtcpPsfbPacket]] = []
    original = sender._handle_rtcp_packet

    async def watching(packet: Any) -> None:
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == fmt:
            seen.append((time.monotonic(), packet))
        await original(packet)

    sender._handle_rtcp_packet = watching
    return seen


async def eventually(check: Callable[[], bool], seconds: float = 10.0, what: str = "") -> None:
    await wait_until(check, seconds, what or repr(check), interval=0.05)


def is_vp8_keyframe(payload: bytes) -> bool:
    """RFC 7741: skip the payload descriptor; the P bit of the VP8 header is 0 on keyframes
    (only meaningful on a packet that starts a partition)."""
    first = payload[0]
    if not first & 0x10:  # S bit: not the start of a partition
        return False
    offset = 1
    if first & 0x80:  # X: extensions follow
        ext = payload[1]
        offset = 2
        if ext & 0x80:  # I: picture id
            offset += 2 if payload[offset] & 0x80 else 1
        if ext & 0x40:
            offset += 1
        if ext & 0x30:
            offset += 1
    return not payload[offset] & 0x01
