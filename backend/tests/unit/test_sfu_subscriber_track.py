"""A subscription: its log lines say whose it is (their request_id may be another
member's), and its counts are what was sent and what the subscriber reported."""

from __future__ import annotations

import itertools
from typing import cast

from aiortc.rtp import RtpPacket
from structlog.testing import capture_logs

from rapat.sfu.hooks import ForwardingSender
from rapat.sfu.interfaces import DownTrack
from rapat.sfu.layer_choice import LayerView
from rapat.sfu.subscriber_track import SubscriberTrack


class StubUp:
    """The publication side, recording which subscriptions it was asked to forward to."""

    track_id = "browser-track-1"
    mime_type = "video/VP8"

    def __init__(self, kind: str = "video") -> None:
        self.kind = kind
        self.forwarding: list[DownTrack] = []
        self.keyframes_asked = 0

    def attach(self, down: DownTrack) -> None:
        return None

    def start_forwarding(self, down: DownTrack) -> None:
        self.forwarding.append(down)

    def detach(self, down: DownTrack) -> None:
        return None

    def set_paused(self, paused: bool) -> None:
        return None

    def request_keyframe(self, layer: int | None = None) -> None:
        self.keyframes_asked += 1

    def layer_views(self) -> list[LayerView]:
        return []

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


KEYFRAME = b"\x10" + b"\x00\x00\x00\x9d\x01\x2a" + bytes(4) + b"k" * 77  # VP8, 100 bytes
DELTA = b"\x10\x01" + b"d" * 20


class StubSender:
    """Sends whatever it is given; keeps what it resent."""

    ready = True

    def __init__(self) -> None:
        self.sent: list[int] = []  # outgoing sequence numbers
        self.resent: list[bytes] = []

    def forward(
        self,
        packet: RtpPacket,
        sequence: int,
        timestamp: int,
        ntp: int,
        payload: bytes | None = None,
    ) -> bytes:
        self.sent.append(sequence)
        return bytes(12) + packet.payload

    def resend(self, data: bytes) -> None:
        self.resent.append(data)


def test_the_metrics_counts_follow_what_was_sent_and_what_the_subscriber_reported() -> None:
    down = SubscriberTrack(StubUp())
    sender = StubSender()
    down.bind(cast(ForwardingSender, sender))
    down.write(RtpPacket(sequence_number=99, payload=KEYFRAME), ntp=0)  # (a decoder's start)
    sender.sent.clear()
    down.packets_out = down.bytes_out = 0
    for number in range(5):
        down.write(RtpPacket(sequence_number=100 + number, payload=b"x" * 88), ntp=0)
    assert (down.packets_out, down.bytes_out) == (5, 5 * 100)
    never_sent = (sender.sent[0] - 1000) % 65536
    down.on_nack([sender.sent[1], sender.sent[2], never_sent])  # the cache holds two
    down.on_keyframe_request()
    down.on_keyframe_request()
    assert (down.nacked, down.retransmitted, down.keyframe_requests) == (3, 2, 2)
    assert len(sender.resent) == 2


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def started(kind: str = "video") -> tuple[SubscriberTrack, StubUp, StubSender, Clock]:
    up, sender, clock = StubUp(kind), StubSender(), Clock()
    down = SubscriberTrack(up, clock=clock)
    down.bind(cast(ForwardingSender, sender))
    return down, up, sender, clock


def feed(down: SubscriberTrack, first: int, payloads: list[bytes]) -> None:
    for offset, payload in enumerate(payloads):
        down.write(RtpPacket(sequence_number=(first + offset) % 65536, payload=payload), ntp=0)


def consecutive(numbers: list[int]) -> bool:
    return all((b - a) % 65536 == 1 for a, b in itertools.pairwise(numbers))


def test_a_video_subscription_starts_at_a_keyframe_and_asks_for_one() -> None:
    down, up, sender, _ = started()
    feed(down, 500, [DELTA, DELTA, DELTA])
    assert sender.sent == []
    assert up.keyframes_asked == 1
    feed(down, 503, [KEYFRAME, DELTA, DELTA])
    assert len(sender.sent) == 3
    assert consecutive(sender.sent)


def test_a_long_wait_for_a_keyframe_asks_again_each_second() -> None:
    down, up, sender, clock = started()
    for tenth in range(25):
        clock.now = tenth / 10
        feed(down, 100 + tenth, [DELTA])
    assert sender.sent == []
    assert up.keyframes_asked == 3  # at the start, 1.0 s and 2.0 s


def test_a_resume_drops_deltas_and_continues_the_sequence_at_the_keyframe() -> None:
    down, _, sender, _ = started()
    feed(down, 10, [KEYFRAME, DELTA, DELTA])
    down.resync()  # the camera was off; the publisher's numbers went on meanwhile
    feed(down, 900, [DELTA, DELTA, KEYFRAME, DELTA])
    assert len(sender.sent) == 5
    assert consecutive(sender.sent)


def test_a_hidden_video_gets_nothing_and_resumes_at_a_keyframe_when_shown() -> None:
    down, up, sender, _ = started()
    feed(down, 10, [KEYFRAME, DELTA])
    down.set_hidden(True)
    down.set_hidden(True)
    feed(down, 12, [DELTA, KEYFRAME, DELTA])
    assert len(sender.sent) == 2
    assert down.hidden
    asked = up.keyframes_asked
    down.set_hidden(False)
    assert up.keyframes_asked == asked + 1  # the publisher is asked at once
    feed(down, 15, [DELTA, KEYFRAME, DELTA])
    assert len(sender.sent) == 4
    assert consecutive(sender.sent)


def test_audio_is_never_held_back_nor_hidden() -> None:
    down, _up, sender, _ = started("audio")
    down.set_hidden(True)
    feed(down, 1, [b"opus"] * 3)
    assert len(sender.sent) == 3
    assert not down.hidden
