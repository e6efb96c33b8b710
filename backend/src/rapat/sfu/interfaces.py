"""The two seams of the forwarding path: a published track and one subscriber's copy of it."""

from __future__ import annotations

from typing import Protocol

from aiortc.rtp import RtpPacket


class DownTrack(Protocol):
    """One subscriber's copy of a published track."""

    @property
    def kind(self) -> str: ...

    @property
    def bitrate(self) -> int | None:
        """The subscriber's last bandwidth estimate (REMB), bits/s; None until it reports."""
        ...

    def write(self, packet: RtpPacket, ntp: int) -> None:
        """Send one packet of the published stream (rewritten for this subscriber); `ntp`
        is the time it is forwarded (64-bit NTP), for its abs-send-time."""
        ...

    def resync(self) -> None:
        """The stream resumes after a pause: carry the sequence on without a gap."""
        ...

    async def close(self) -> None: ...


class UpTrack(Protocol):
    """A track a participant publishes, fanned out to its subscribers."""

    @property
    def kind(self) -> str: ...

    @property
    def track_id(self) -> str: ...

    def attach(self, down: DownTrack) -> None: ...

    def start_forwarding(self, down: DownTrack) -> None:
        """The attached `down` can take packets now (its sender has started)."""
        ...

    def detach(self, down: DownTrack) -> None: ...

    def set_paused(self, paused: bool) -> None:
        """Stop (or restart) forwarding to every subscriber, without renegotiating."""
        ...

    def request_keyframe(self) -> None:
        """Ask the publisher for a keyframe (rate-limited)."""
        ...

    def bitrate_changed(self) -> None:
        """A subscriber's bandwidth estimate changed: recompute what the publisher may send."""
        ...
