"""Pre-encoded media for the SFU benchmark: a short VP8 clip encoded once, Opus-shaped
audio payloads, and a publisher schedule that replays them as RTP with real timestamps.

Every payload a publisher sends is unique within a run (the VP8 picture id counts on from a
per-publisher start, the audio payload carries a counter), so a subscriber finds the send
time of what it receives by its payload bytes, whatever the SFU did to sequence numbers,
timestamps and SSRCs.
"""

from __future__ import annotations

import fractions
import random
from dataclasses import dataclass

import av
from aiortc.codecs.vpx import Vp8Encoder

FPS = 30
CLIP_FRAMES = 60  # two seconds; the first frame is the only keyframe, so one every 2 s
VIDEO_CLOCK = 90_000
AUDIO_CLOCK = 48_000
AUDIO_PTIME = 0.02
AUDIO_PAYLOAD_BYTES = 100  # ~40 kbit/s, a typical Opus voice rate
OPUS_TOC = 0xF8  # config 31 (CELT fullband, 20 ms), mono, one frame per packet
PICTURE_IDS_PER_PUBLISHER = 2000  # frames; a point lasts far fewer (66 s at 30 fps)


@dataclass(frozen=True)
class Clip:
    frames: list[bytes]  # VP8 frames as the encoder produced them (not yet packetized)

    @property
    def video_bits_per_second(self) -> float:
        return sum(len(f) for f in self.frames) * 8 * FPS / len(self.frames)

    @property
    def packets_per_second(self) -> float:
        """What one publisher sends: the clip's video packets and 50 audio packets/s."""
        video = sum(len(Vp8Encoder._packetize(f, 200)) for f in self.frames)
        return video * FPS / len(self.frames) + 1 / AUDIO_PTIME


def encode_clip(width: int = 640, height: int = 360, bitrate: int = 500_000) -> Clip:
    """A moving noisy pattern, encoded once with libvpx at a constant bitrate."""
    encoder = Vp8Encoder()
    encoder.target_bitrate = bitrate
    rng = random.Random(7)
    wide = width * 2
    # Blocky noise: moving detail the encoder must spend bits on, yet a keyframe of a
    # realistic size (pure noise would make every keyframe ~150 kB).
    luma = _blocks(rng, wide, height, 16)
    chroma = _blocks(rng, wide // 2, height // 2, 8)
    frames: list[bytes] = []
    for index in range(CLIP_FRAMES):
        frame = av.VideoFrame(width, height, "yuv420p")
        for plane, source, w, h, shift in (
            (0, luma, width, height, index * 4),
            (1, chroma, width // 2, height // 2, index * 2),
            (2, chroma, width // 2, height // 2, index * 2 + 1),
        ):
            row = w * 2
            frame.planes[plane].update(
                b"".join(source[y * row + shift : y * row + shift + w] for y in range(h))
            )
        frame.pts = index * (VIDEO_CLOCK // FPS)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        # Encode, then strip the payload descriptor aiortc added: the bench packetizes
        # again per publisher with its own picture id.
        payloads, _ = encoder.encode(frame, force_keyframe=index == 0)
        frames.append(b"".join(p[4:] for p in payloads))
    return Clip(frames)


def _blocks(rng: random.Random, width: int, height: int, cell: int) -> bytes:
    cells = [rng.randbytes(width // cell) for _ in range(height // cell + 1)]
    rows = (bytes(v for v in cells[y // cell] for _ in range(cell)) for y in range(height))
    return b"".join(rows)


def is_keyframe(frame: bytes) -> bool:
    return not frame[0] & 0x01  # VP8 frame tag: P bit clear on keyframes


@dataclass
class VideoSchedule:
    """One publisher's video: frame n of the clip, looped, with picture id and RTP
    timestamp counting on."""

    clip: Clip
    publisher: int
    count: int = 0

    def next_frame(self) -> tuple[list[bytes], int]:
        frame = self.clip.frames[self.count % len(self.clip.frames)]
        picture_id = 128 + ((self.publisher * PICTURE_IDS_PER_PUBLISHER + self.count) % 32000)
        payloads = Vp8Encoder._packetize(frame, picture_id)
        timestamp = (self.count * (VIDEO_CLOCK // FPS)) & 0xFFFFFFFF
        self.count += 1
        return payloads, timestamp


@dataclass
class AudioSchedule:
    publisher: int
    count: int = 0

    def next_packet(self) -> tuple[bytes, int]:
        marker = self.publisher.to_bytes(2, "big") + self.count.to_bytes(6, "big")
        filler = bytes((self.count + i) & 0xFF for i in range(AUDIO_PAYLOAD_BYTES - 9))
        timestamp = (self.count * int(AUDIO_CLOCK * AUDIO_PTIME)) & 0xFFFFFFFF
        self.count += 1
        return bytes([OPUS_TOC]) + marker + filler, timestamp
