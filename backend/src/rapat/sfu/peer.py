"""One participant's server-side peer connection: what they publish, what they receive.

Negotiation runs one at a time. The client offers what it publishes; the server offers what
the client should receive (tracks appearing or going away). The server is the impolite
side: a client offer that arrives while a server offer is pending is refused with
`NegotiationGlare`, the client rolls its own back and answers ours, then offers again.
So that the client can tell the two apart, the answer to a client offer always reaches it
before any offer the server makes afterwards: nothing that yields runs between the lock's
release and the answer's sending (the caller sends it as soon as `accept_offer` returns).
A new subscription's transceiver is made only with the server's next offer, under the same
lock, so a client offer being answered never meets a transceiver no offer has covered yet.
Candidates that arrive before a remote description are queued. A client's simulcast
offer (decision 68) is read here, since aiortc ignores it, and every description the SFU
sends repeats the simulcast lines of those sections so the client keeps sending each layer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from aiortc import (
    RTCConfiguration,
    RTCIceCandidate,
    RTCPeerConnection,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc import sdp as sdp_module
from aiortc.codecs import get_capabilities, is_rtx
from aiortc.rtcconfiguration import RTCBundlePolicy
from aiortc.rtcrtpparameters import RTCRtpCodecCapability
from aiortc.sdp import candidate_from_sdp

from rapat.sfu.hooks import (
    ForwardingReceiver,
    adopt_receiver,
    adopt_sender,
    bind_host_candidates,
    create_offer,
    is_closed,
    negotiated_codec,
)
from rapat.sfu.interfaces import NegotiationError, PublishedStream
from rapat.sfu.network import NetworkOptions
from rapat.sfu.published_track import PublishedTrack
from rapat.sfu.simulcast_sdp import SimulcastSection, add_simulcast, read_simulcast
from rapat.sfu.simulcast_track import SimulcastTrack
from rapat.sfu.subscriber_track import SubscriberTrack

log = structlog.get_logger("rapat.sfu")

MAX_PENDING_CANDIDATES = 64
# An offer of ours that could not be made is tried again after 0.5 s, 1 s, 2 s... (10 s at most).
OFFER_RETRY_FIRST = 0.5
OFFER_RETRY_MAX = 10.0


class NegotiationGlare(NegotiationError):
    def __init__(self) -> None:
        super().__init__(
            "negotiation_glare", "The server's offer is pending: answer it, then offer again."
        )


@dataclass
class _Subscription:
    down: SubscriberTrack
    stream_id: str
    track_id: str
    codecs: list[RTCRtpCodecCapability]
    transceiver: RTCRtpTransceiver | None = None  # made with the next server offer


OfferSender = Callable[[str], None]
TrackListener = Callable[[PublishedTrack], None]
TrackEndListener = Callable[[PublishedTrack], Awaitable[None]]


def _preferences(codec: Any, kind: str) -> list[RTCRtpCodecCapability]:
    """Offer a subscriber exactly the publisher's codec (and RTX for video): payloads are
    forwarded as they are, so there is nothing to choose."""
    wanted = RTCRtpCodecCapability(
        mimeType=codec.mimeType,
        clockRate=codec.clockRate,
        channels=codec.channels,
        parameters=codec.parameters,
    )
    capabilities = get_capabilities(kind).codecs
    chosen = [c for c in capabilities if c == wanted]
    if not chosen:
        raise NegotiationError("codec_unsupported", f"{codec.mimeType} cannot be forwarded.")
    return chosen + [c for c in capabilities if is_rtx(c)]


class SfuPeer:
    def __init__(
        self,
        network: NetworkOptions,
        send_offer: OfferSender,
        on_track: TrackListener,
        on_track_ended: TrackEndListener,
        keyframe_interval: float = 0.5,
    ) -> None:
        self._network = network
        self._send_offer = send_offer
        self._on_track = on_track
        self._on_track_ended = on_track_ended
        self._keyframe_interval = keyframe_interval
        self._pc = RTCPeerConnection(RTCConfiguration(bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))
        self._lock = asyncio.Lock()
        self._pending_candidates: list[RTCIceCandidate] = []
        self._published: dict[PublishedTrack, RTCRtpTransceiver] = {}
        self._subscriptions: dict[PublishedStream, _Subscription] = {}
        self._wants_offer = False
        self._negotiation: asyncio.Task[None] | None = None
        self._offer_failures = 0
        self._offer_retry: asyncio.TimerHandle | None = None
        self._closed = False
        self._simulcast: dict[str, SimulcastSection] = {}  # the client's, by mid

    @property
    def connection(self) -> RTCPeerConnection:
        return self._pc

    @property
    def published(self) -> list[PublishedTrack]:
        return list(self._published)

    @property
    def subscriptions(self) -> dict[PublishedStream, SubscriberTrack]:
        return {up: sub.down for up, sub in self._subscriptions.items()}

    # --- what the client sends ----------------------------------------------------------

    async def accept_offer(self, sdp: str) -> str:
        """Apply the client's offer; returns the answer."""
        async with self._lock:
            self._check_open()
            if self._pc.signalingState != "stable":
                raise NegotiationGlare()
            await self._apply_remote(sdp, "offer")
            self._simulcast.update(read_simulcast(sdp))
            self._adopt_new_receivers()
            await self._flush_candidates()
            self._bind()
            await self._pc.setLocalDescription(await self._pc.createAnswer())
            answer = add_simulcast(self._pc.localDescription.sdp, self._simulcast)
            ended = [
                up
                for up, transceiver in self._published.items()
                if transceiver.currentDirection not in ("recvonly", "sendrecv")
            ]
            # Still under the lock: tidying up lets other tasks run, and an offer of ours
            # made meanwhile would reach the client before this answer.
            for up in ended:  # the client stopped sending it (e.g. a screen share ended)
                del self._published[up]
                await self._on_track_ended(up)
                await up.close()
        self._resume_negotiation()
        return answer  # nothing yields from the lock's release to the answer's sending

    async def accept_answer(self, sdp: str) -> None:
        async with self._lock:
            self._check_open()
            if self._pc.signalingState != "have-local-offer":
                raise NegotiationError("unexpected_answer", "No offer of the server is pending.")
            await self._apply_remote(sdp, "answer")
            await self._flush_candidates()
        self._resume_negotiation()

    async def add_candidate(self, candidate: dict[str, Any]) -> None:
        line = str(candidate.get("candidate") or "")
        if not line:
            return  # end of candidates: nothing to do for a full-ICE agent that gathered all
        try:
            parsed = candidate_from_sdp(line.removeprefix("candidate:"))
        except (ValueError, IndexError, AssertionError) as exc:  # aiortc asserts on junk
            raise NegotiationError("invalid_candidate", "Unreadable ICE candidate.") from exc
        parsed.sdpMid = candidate.get("sdpMid")
        parsed.sdpMLineIndex = candidate.get("sdpMLineIndex")
        if not self._has_remote_description():
            if len(self._pending_candidates) >= MAX_PENDING_CANDIDATES:
                raise NegotiationError("too_many_candidates", "Too many early candidates.")
            self._pending_candidates.append(parsed)
            return
        await self._pc.addIceCandidate(parsed)

    # --- what the conference asks -------------------------------------------------------

    def subscribe(
        self, up: PublishedStream, stream_id: str, track_id: str, subscriber: str = ""
    ) -> None:
        if not isinstance(up, PublishedTrack):
            raise TypeError("An SfuPeer forwards only tracks that SfuPeers publish.")
        if self._closed or up in self._subscriptions:
            return
        codecs = _preferences(up.codec, up.kind)
        # (either forwards nothing until it sends)
        down = (
            SubscriberTrack(up, subscriber=subscriber)
            if up.simulcast is None
            else SimulcastTrack(up, subscriber=subscriber, share=self._videos_shown)
        )
        up.attach(down)
        self._subscriptions[up] = _Subscription(down, stream_id, track_id, codecs)
        self.request_negotiation()

    async def unsubscribe(self, up: PublishedStream) -> None:
        subscription = self._subscriptions.pop(up, None)
        if subscription is None:
            return
        await subscription.down.close()
        transceiver = subscription.transceiver
        if transceiver is None:
            return  # never offered: nothing to take back
        transceiver.direction = "inactive"
        await transceiver.sender.stop()
        if not self._closed:
            self.request_negotiation()

    def _videos_shown(self) -> int:
        """How many videos share this subscriber's bandwidth (those it shows)."""
        return sum(
            1 for s in self._subscriptions.values() if s.down.kind == "video" and not s.down.hidden
        )

    def request_negotiation(self) -> None:
        self._wants_offer = True
        self._resume_negotiation()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._negotiation is not None:
            self._negotiation.cancel()
        if self._offer_retry is not None:
            self._offer_retry.cancel()
        for subscription in self._subscriptions.values():
            await subscription.down.close()
        self._subscriptions.clear()
        for up in self._published:
            await up.close()
        self._published.clear()
        self._pending_candidates.clear()
        await self._pc.close()

    # --- inside -------------------------------------------------------------------------

    async def _apply_remote(self, sdp: str, kind: str) -> None:
        """Apply a client description; whatever aiortc makes of bad input (it raises
        ValueError, AssertionError, KeyError, OperationError…) becomes one clear error."""
        try:
            if not sdp_module.SessionDescription.parse(sdp).media:
                raise ValueError("it has no media section")
            await self._pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=kind))
        except Exception as exc:
            log.info("sfu_description_refused", kind=kind, error=repr(exc)[:200])
            reason = str(exc) or type(exc).__name__
            raise NegotiationError("invalid_sdp", f"The {kind} was refused: {reason}") from exc

    def _has_remote_description(self) -> bool:
        # aiortc's annotation says never None; before the first offer it is.
        return self._pc.remoteDescription is not None  # type: ignore[redundant-expr,unused-ignore]

    def _check_open(self) -> None:
        if self._closed:
            raise NegotiationError("peer_closed", "The media connection is closed.")

    def _bind(self) -> None:
        if self._network.bind_addresses:
            bind_host_candidates(
                self._pc,
                list(self._network.bind_addresses),
                self._network.ports,
                self._network.advertised_address,
            )

    def _adopt_new_receivers(self) -> None:
        # Must run right after setRemoteDescription, before aiortc starts the receivers.
        for transceiver in self._pc.getTransceivers():
            receiver = transceiver.receiver
            if receiver.track is None or isinstance(receiver, ForwardingReceiver):
                continue
            if transceiver.direction == "sendonly":  # the client reused one of our m-lines
                transceiver.direction = "sendrecv"
            simulcast = self._simulcast.get(transceiver.mid or "")
            up = PublishedTrack(
                transceiver.kind,
                receiver.track.id,
                negotiated_codec(transceiver),
                self._keyframe_interval,
                simulcast=simulcast.rids if simulcast is not None else (),
            )
            extensions = simulcast.extensions if simulcast is not None else None
            up.bind(adopt_receiver(receiver, up.on_packet, up.on_sender_report, extensions))
            self._published[up] = transceiver
            self._on_track(up)

    def _add_transceivers(self) -> None:
        """The m-lines of subscriptions made since the last offer (call under the lock)."""
        for subscription in self._subscriptions.values():
            if subscription.transceiver is not None:
                continue
            down, ids = subscription.down, (subscription.stream_id, subscription.track_id)
            transceiver = self._pc.addTransceiver(down.kind, direction="sendonly")
            transceiver.setCodecPreferences(subscription.codecs)
            down.bind(adopt_sender(transceiver.sender, *ids, down))
            subscription.transceiver = transceiver

    async def _flush_candidates(self) -> None:
        pending, self._pending_candidates = self._pending_candidates, []
        for candidate in pending:
            await self._pc.addIceCandidate(candidate)

    def _resume_negotiation(self) -> None:
        if self._closed or not self._wants_offer:
            return
        if self._negotiation is None or self._negotiation.done():
            self._negotiation = asyncio.ensure_future(self._offer())

    async def _offer(self) -> None:
        async with self._lock:
            if self._closed or is_closed(self._pc):
                return  # the client went away: the conference closes this peer when it leaves
            if self._pc.signalingState != "stable" or not self._wants_offer:
                return  # an answer (or the client's offer) will bring us back here
            self._wants_offer = False
            try:
                self._add_transceivers()
                self._bind()
                await self._pc.setLocalDescription(await create_offer(self._pc))
            except Exception:
                if not self._closed and not is_closed(self._pc):  # closed mid-offer: nothing
                    log.exception("sfu_offer_failed", failures=self._offer_failures + 1)
                    self._retry_offer()
                return
            self._offer_failures = 0
            self._send_offer(add_simulcast(self._pc.localDescription.sdp, self._simulcast))

    def _retry_offer(self) -> None:
        """What was to be offered still is (a subscription dropped here would never reach the
        client): try again a little later, waiting longer after each failure in a row."""
        self._wants_offer = True
        delay = min(OFFER_RETRY_MAX, OFFER_RETRY_FIRST * 2**self._offer_failures)
        self._offer_failures += 1
        loop = asyncio.get_running_loop()
        self._offer_retry = loop.call_later(delay, self._resume_negotiation)
