"""A subscription: its log lines say whose it is (their request_id may be another
member's), and its counts are what was sent and what the subscriber reported."""

from __future__ import annotations

from typing import cast

from aiortc.rtp import RtpPacket
from structlog.testing import capture_logs

from rapat.sfu.hooks import ForwardingSender
from rapat.sfu.interfaces import DownTrack
from rapat.sfu.subscriber_track import SubscriberTrack


class StubUp:
    """The publication side, recording which subscriptions it was asked to forward to."""

    kind = "video"
    track_id = "browser-track-1"

    def __init__(self) -> None:
        self.forwarding: list[DownTrack] = []

    def attach(self, down: DownTrack) -> None:
        return None

    def start_forwarding(self, down: DownTrack) -> None:
        self.forwarding.append(down)

    def detach(self, down: DownTrack) -> None:
        return None

    def set_paused(self, paused: bool) -> None:
        return None

    def request_keyframe(self) -> None:
        return None

    def bitrate_changed(self) -> None:
        return None


def test_the_sending_line_names_the_subscriber() -> None:
    up = StubUp()
    down = SubscriberTrack(up, subscriber="u-dewi")
    with capture_logs() as logs:
        down.on_sending()
    assert up.forwarding == [down]
    assert [(e["event"], e.get("subscriber"), e["track_id"]) for e in logs] == [
        ("sfu_subscription_sending", "u-dewi", "browser-track-1")
    ]


class StubSender:
    """Sends whatever it is given; keeps what it resent."""

    ready = True

    def __init__(self) -> None:
        self.sent: list[int] = []  # outgoing sequence numbers
        self.resent: list[bytes] = []

    def forward(self, packet: RtpPacket, sequence: int, timestamp: int, ntp: int) -> bytes:
        self.sent.append(sequence)
        return bytes(12) + packet.payload

    def resend(self, data: bytes) -> None:
        self.resent.append(data)


def test_the_metrics_counts_follow_what_was_sent_and_what_the_subscriber_reported() -> None:
    down = SubscriberTrack(StubUp())
    sender = StubSender()
    down.bind(cast(ForwardingSender, sender))
    for number in range(5):
        down.write(RtpPacket(sequence_number=100 + number, payload=b"x" * 88), ntp=0)
    assert (down.packets_out, down.bytes_out) == (5, 5 * 100)
    never_sent = (sender.sent[0] - 1000) % 65536
    down.on_nack([sender.sent[1], sender.sent[2], never_sent])  # the cache holds two
    down.on_keyframe_request()
    down.on_keyframe_request()
    assert (down.nacked, down.retransmitted, down.keyframe_requests) == (3, 2, 2)
    assert len(sender.resent) == 2
