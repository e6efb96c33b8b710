"""The SFU's seams: what its parts, and the conference above it, know of one another.

- Inside the forwarding path: a published track (`UpTrack`) and one subscriber's copy of
  it (`DownTrack`).
- The value a video cap is given in (`FrameBox`).
- For `conference/`, which must not know the concrete peer: a participant's peer
  (`MediaPeer`), made by a `PeerFactory` that the composition root chooses, the tracks it
  publishes (`PublishedStream`) and the copies it forwards (`ForwardedStream`), and the
  one error a peer raises (`NegotiationError`); a tap on a published track (`TrackTap`),
  which is how a recorder sees it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aiortc.rtp import RtcpSrPacket, RtpPacket

from rapat.sfu.layer_choice import LayerView


class NegotiationError(Exception):
    """A client's description, candidate or request the peer refuses; `code` names why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class FrameBox:
    """The largest picture allowed, either way round (a phone held upright sends 720x1280
    under a 1280x720 cap)."""

    long_side: int
    short_side: int
    slack: int = 2  # encoders round scaled sizes to even numbers; a pixel or two is no breach

    def fits(self, width: int, height: int) -> bool:
        long_side, short_side = max(width, height), min(width, height)
        return (
            long_side <= self.long_side + self.slack and short_side <= self.short_side + self.slack
        )


class DownTrack(Protocol):
    """One subscriber's copy of a published track."""

    @property
    def kind(self) -> str: ...

    @property
    def bitrate(self) -> int | None:
        """The subscriber's last bandwidth estimate (REMB), bits/s; None until it reports."""
        ...

    def write(self, packet: RtpPacket, ntp: int, layer: int) -> None:
        """Send one packet of the published stream (rewritten for this subscriber); `ntp`
        is the time it is forwarded (64-bit NTP), for its abs-send-time; `layer`: the
        simulcast layer it belongs to (0 for a single stream)."""
        ...

    def reselect(self) -> None:
        """The simulcast layers' bitrates were measured afresh: choose a layer again."""
        ...

    def resync(self) -> None:
        """The stream resumes after a pause: carry the sequence on without a gap and, for
        video, from the next keyframe on (the caller asks the publisher for one)."""
        ...

    async def close(self) -> None: ...


class UpTrack(Protocol):
    """A track a participant publishes, fanned out to its subscribers."""

    @property
    def kind(self) -> str: ...

    @property
    def track_id(self) -> str: ...

    @property
    def mime_type(self) -> str:
        """The negotiated codec (`video/VP8`): where its keyframes start."""
        ...

    def attach(self, down: DownTrack) -> None: ...

    def start_forwarding(self, down: DownTrack) -> None:
        """The attached `down` can take packets now (its sender has started)."""
        ...

    def detach(self, down: DownTrack) -> None: ...

    def set_paused(self, paused: bool) -> None:
        """Stop (or restart) forwarding to every subscriber, without renegotiating."""
        ...

    def request_keyframe(self, layer: int | None = None) -> None:
        """Ask the publisher for a keyframe (rate-limited), of one simulcast layer or of
        every stream it sends."""
        ...

    def layer_views(self) -> list[LayerView]:
        """What each simulcast layer offers now, low to high; empty for a single stream."""
        ...

    def bitrate_changed(self) -> None:
        """A subscriber's bandwidth estimate changed: recompute what the publisher may send."""
        ...


LevelListener = Callable[[int], None]
OversizeListener = Callable[[int, int], None]


class TrackTap(Protocol):
    """What a published track hands a recorder, on the media thread: every packet it would
    forward (none while it is paused: a muted source leaves a gap), before the room's video
    cap withholds any, and the publisher's sender reports for its media SSRC. Both calls
    must return at once (hand over to another thread; never block, never do I/O)."""

    def on_rtp(self, packet: RtpPacket, arrival: float) -> None:
        """`arrival`: Unix time the packet was received (RTX already unwrapped)."""
        ...

    def on_sender_report(self, report: RtcpSrPacket) -> None: ...


class PublishedStream(Protocol):
    """A track a participant publishes, as the conference sees it."""

    @property
    def kind(self) -> str: ...

    @property
    def track_id(self) -> str: ...

    @property
    def mime_type(self) -> str:
        """The negotiated codec, as SDP spells it (`video/VP8`, `audio/opus`)."""
        ...

    @property
    def packets_in(self) -> int: ...

    on_level: LevelListener | None  # audio levels (RFC 6464), -dBov
    on_oversize: OversizeListener | None  # a keyframe larger than the cap: (width, height)

    def set_paused(self, paused: bool) -> None:
        """Stop (or restart) forwarding to every subscriber, without renegotiating."""
        ...

    def limit_video(self, box: FrameBox | None, max_bitrate: int | None) -> None:
        """Forward no picture larger than `box`, ask the publisher for at most
        `max_bitrate` bits/s (None: no cap). Audio ignores it."""
        ...

    def add_tap(self, tap: TrackTap) -> None: ...

    def remove_tap(self, tap: TrackTap) -> None: ...

    def request_keyframe(self) -> None:
        """Ask the publisher for a keyframe (folded with others to one per interval)."""
        ...


class ForwardedStream(Protocol):
    """One subscriber's copy of a published track, as the conference counts and shows it."""

    @property
    def packets_out(self) -> int: ...

    @property
    def bytes_out(self) -> int: ...

    @property
    def retransmitted(self) -> int: ...

    @property
    def nacked(self) -> int:
        """Packets the subscriber reported lost (the sequence numbers of its NACKs)."""
        ...

    @property
    def keyframe_requests(self) -> int:
        """PLI and FIR the subscriber sent."""
        ...

    @property
    def hidden(self) -> bool: ...

    def set_hidden(self, hidden: bool) -> None:
        """The subscriber does not show this video: forward none of it to them (the
        publisher and the others are not affected); shown again, it resumes at a keyframe.
        Audio ignores it."""
        ...

    def set_tile(self, size: tuple[int, int] | None) -> None:
        """The size (device pixels) the subscriber shows this video at, None when unknown:
        a simulcast video is forwarded in the smallest layer that covers it. Others
        ignore it."""
        ...


OfferSender = Callable[[str], None]
TrackListener = Callable[[PublishedStream], None]
TrackEndListener = Callable[[PublishedStream], Awaitable[None]]


class MediaPeer(Protocol):
    """One participant's media connection: what they publish, what they receive.

    Methods that take a client's message raise `NegotiationError` when refusing it."""

    @property
    def published(self) -> Sequence[PublishedStream]: ...

    @property
    def subscriptions(self) -> Mapping[PublishedStream, ForwardedStream]:
        """What this participant receives, by the published track it copies."""
        ...

    async def accept_offer(self, sdp: str) -> str:
        """Apply the client's offer; returns the answer."""
        ...

    async def accept_answer(self, sdp: str) -> None: ...

    async def add_candidate(self, candidate: dict[str, Any]) -> None: ...

    def subscribe(
        self, up: PublishedStream, stream_id: str, track_id: str, subscriber: str = ""
    ) -> None:
        """Start sending `up` (a track another peer of the same factory publishes);
        `subscriber` (the member's id) only names the subscription in the logs."""
        ...

    async def unsubscribe(self, up: PublishedStream) -> None: ...

    async def close(self) -> None: ...


class PeerFactory(Protocol):
    """Makes a participant's peer: it sends its offers with `send_offer` and reports each
    track the participant starts and stops publishing."""

    def __call__(
        self,
        send_offer: OfferSender,
        on_track: TrackListener,
        on_track_ended: TrackEndListener,
    ) -> MediaPeer: ...
