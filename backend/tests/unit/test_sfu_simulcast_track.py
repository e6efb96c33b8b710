"""One subscriber's copy of a simulcast video, fed three layers as a publisher interleaves
them: it forwards one layer, switches only at a keyframe of the target layer, and what it
sends reads as one stream (sequence numbers, timestamps and VP8 picture ids without a
seam)."""

from __future__ import annotations

import itertools
from collections.abc import Collection
from typing import cast

from aiortc.rtp import RtpPacket

from rapat.codecs.vp8 import picture_ids
from rapat.sfu.hooks import ForwardingSender
from rapat.sfu.interfaces import DownTrack
from rapat.sfu.layer_choice import LayerView
from rapat.sfu.simulcast_track import SimulcastTrack

VIEWS = [
    LayerView(150_000, 320, 180),
    LayerView(500_000, 640, 360),
    LayerView(1_500_000, 1280, 720),
]


class LayeredUp:
    kind = "video"
    track_id = "camera"
    mime_type = "video/VP8"

    def __init__(self) -> None:
        self.asked: list[int | None] = []

    def attach(self, down: DownTrack) -> None:
        return None

    def start_forwarding(self, down: DownTrack) -> None:
        return None

    def detach(self, down: DownTrack) -> None:
        return None

    def set_paused(self, paused: bool) -> None:
        return None

    def request_keyframe(self, layer: int | None = None) -> None:
        self.asked.append(layer)

    def layer_views(self) -> list[LayerView]:
        return VIEWS

    def bitrate_changed(self) -> None:
        return None


class Sent:
    ready = True

    def __init__(self) -> None:
        self.packets: list[tuple[int, int, bytes]] = []  # (sequence, timestamp, payload)

    def forward(
        self, packet: RtpPacket, seq: int, timestamp: int, ntp: int, payload: bytes | None = None
    ) -> bytes:
        body = packet.payload if payload is None else payload
        self.packets.append((seq, timestamp, body))
        return bytes(12) + body

    def resend(self, data: bytes) -> None:
        return None


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def vp8(picture: int, tl0: int, keyframe: bool, first: bool) -> bytes:
    start = 0x90 if first else 0x80
    head = bytes((start, 0xE0, 0x80 | (picture >> 8), picture & 0xFF, tl0 & 0xFF, 0x20))
    return head + (b"\x10\x02\x00\x9d\x01\x2a" + bytes(4) if keyframe and first else b"\x11" * 10)


class Publisher:
    """Three layers with their own sequence, timestamp and picture-id origins; two packets
    per frame, 30 frames a second."""

    ORIGINS = ((1000, 5_000, 100), (40000, 900_000, 7000), (65000, 4_000_000_000, 32700))

    def __init__(self, down: SimulcastTrack, clock: Clock) -> None:
        self.down, self.clock, self.frame = down, clock, 0

    def frames(self, count: int, keyframes: Collection[tuple[int, int]] = ()) -> None:
        """`keyframes`: (frame, layer) pairs that are keyframes."""
        for _ in range(count):
            frame = self.frame
            for layer, (seq0, ts0, pid0) in enumerate(self.ORIGINS):
                key = (frame, layer) in keyframes
                for part in range(2):
                    packet = RtpPacket(
                        sequence_number=(seq0 + 2 * frame + part) % 65536,
                        timestamp=(ts0 + 3000 * frame) % (1 << 32),
                        marker=part,
                        payload=vp8((pid0 + frame) % 32768, frame, key, part == 0),
                    )
                    self.down.write(packet, 0, layer)
            self.frame += 1
            self.clock.now += 1 / 30


def subscription() -> tuple[SimulcastTrack, LayeredUp, Sent, Publisher]:
    up, sent, clock = LayeredUp(), Sent(), Clock()
    down = SimulcastTrack(up, clock=clock)
    down.bind(cast(ForwardingSender, sent))
    return down, up, sent, Publisher(down, clock)


def continuous(sent: Sent) -> None:
    sequences = [seq for seq, _, _ in sent.packets]
    assert all((b - a) % 65536 == 1 for a, b in itertools.pairwise(sequences))
    frames = [(ts, picture_ids(body)) for _, ts, body in sent.packets[::2]]
    for (ts_a, ids_a), (ts_b, ids_b) in itertools.pairwise(frames):
        assert 0 < (ts_b - ts_a) % (1 << 32) < 10_000  # forward, about a frame's time
        assert ids_a is not None
        assert ids_b is not None
        assert (ids_b[0] - ids_a[0]) % 32768 == 1  # the next picture
        assert (ids_b[2] - ids_a[2]) % 256 == 1  # every picture is on TL0 here


def test_without_reports_the_copy_starts_at_a_keyframe_of_the_top_layer() -> None:
    down, up, sent, publisher = subscription()
    publisher.frames(3, keyframes={(0, 0), (0, 1)})
    assert sent.packets == []  # no keyframe of the top layer yet
    assert up.asked == [2]
    publisher.frames(5, keyframes={(3, 2)})
    assert down.layer == 2
    assert len(sent.packets) == 10  # five frames of one layer
    continuous(sent)


def test_a_switch_up_waits_for_the_targets_keyframe_and_the_stream_stays_continuous() -> None:
    down, up, sent, publisher = subscription()
    down.on_bitrate(200_000)  # only the low layer fits
    publisher.frames(2, keyframes={(0, 0), (0, 1), (0, 2)})
    assert down.layer == 0
    down.on_bitrate(5_000_000)  # room for the top layer: ask for its keyframe
    assert up.asked[-1] == 2
    publisher.frames(5)
    assert down.layer == 0  # still the low layer: no keyframe of the top one yet
    publisher.frames(5, keyframes={(9, 2)})
    assert down.layer == 2
    assert down.layer_switches == 2
    # frames 0-9 of the low layer (its frame 9 came first), then 9-11 of the top one
    assert len(sent.packets) == 2 * 13
    continuous(sent)


def test_a_smaller_tile_moves_down_at_the_lower_layers_keyframe() -> None:
    down, up, sent, publisher = subscription()
    publisher.frames(2, keyframes={(0, 2)})
    assert down.layer == 2
    down.set_tile((320, 180))
    assert up.asked[-1] == 0
    publisher.frames(3)
    assert down.layer == 2  # the top layer flows until the low layer's keyframe
    publisher.frames(3, keyframes={(5, 0)})
    assert down.layer == 0
    assert len(sent.packets) == 2 * 8  # the low layer's frame 5 comes before the top's
    continuous(sent)


def test_hidden_forwards_nothing_and_shown_again_resumes_at_a_keyframe() -> None:
    down, up, sent, publisher = subscription()
    publisher.frames(2, keyframes={(0, 2)})
    down.set_hidden(True)
    publisher.frames(3, keyframes={(2, 2)})
    assert len(sent.packets) == 4
    down.set_hidden(False)
    assert up.asked[-1] == 2
    publisher.frames(2)
    assert len(sent.packets) == 4  # waits for a keyframe
    publisher.frames(2, keyframes={(7, 2)})
    assert len(sent.packets) == 8
    sequences = [seq for seq, _, _ in sent.packets]
    assert all((b - a) % 65536 == 1 for a, b in itertools.pairwise(sequences))
