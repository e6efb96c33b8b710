"""Joins in-order packets (and the holes the reorder buffer gave up on) into whole frames.
A frame is written only if all its packets arrived; after a video frame is lost, the frames
that follow depend on it, so none is written until the next keyframe."""

from __future__ import annotations

from dataclasses import dataclass

from aiortc.rtp import RtpPacket

from rapat.recording.frames import Depacketizer, EncodedFrame
from rapat.recording.reorder_buffer import Lost, Ordered
from rapat.recording.wraparound import unwrap_timestamp


@dataclass(slots=True)
class AssemblyStats:
    frames: int = 0
    incomplete: int = 0  # frames with a packet missing (or malformed)
    waiting_keyframe: int = 0  # whole video frames dropped until the next keyframe


class FrameAssembler:
    def __init__(self, depacketizer: Depacketizer, video: bool) -> None:
        self._depacketizer = depacketizer
        self._video = video
        self._timestamp: int | None = None  # the extended RTP timestamp of the frame in progress
        self._last_timestamp: int | None = None
        self._payloads: list[bytes] = []
        self._damaged = False
        self._after_hole = True  # what came before the first packet is unknown
        self.waiting_for_keyframe = video
        self.stats = AssemblyStats()

    def push(self, item: Ordered) -> list[EncodedFrame]:
        if isinstance(item, Lost):
            # Lost packets may belong to the frame in progress, or start the next one.
            self._damaged = self._damaged or bool(self._payloads)
            self._after_hole = True
            return []
        return self.push_packet(item)

    def flush(self) -> list[EncodedFrame]:
        """The frame in progress, if whole: the track ended or paused."""
        return self._finish() if self._payloads else []

    def restart(self) -> list[EncodedFrame]:
        """A new segment begins: video starts again from a keyframe."""
        out = self.flush()
        self.waiting_for_keyframe = self._video
        self._after_hole = True
        self._last_timestamp = None
        return out

    def push_packet(self, packet: RtpPacket) -> list[EncodedFrame]:
        """`push` of a packet, for a caller that already told it from a hole."""
        reference = self._last_timestamp if self._last_timestamp is not None else packet.timestamp
        timestamp = unwrap_timestamp(packet.timestamp, reference)
        out: list[EncodedFrame] = []
        if self._payloads and timestamp != self._timestamp:
            out = self._finish()  # its marker bit never came, though no packet was missing
        if not self._payloads:
            self._timestamp = timestamp
            self._damaged = self._after_hole and not self._depacketizer.starts_frame(packet.payload)
            self._after_hole = False
        self._last_timestamp = timestamp
        self._payloads.append(packet.payload)
        if packet.marker or self._depacketizer.one_packet_per_frame:
            out.extend(self._finish())
        return out

    def _finish(self) -> list[EncodedFrame]:
        payloads, self._payloads = self._payloads, []
        assert self._timestamp is not None
        data = None if self._damaged else self._depacketizer.frame_data(payloads)
        self._damaged = False
        if data is None:
            self.stats.incomplete += 1
            self.waiting_for_keyframe = self._video
            return []
        keyframe = self._depacketizer.is_keyframe(data)
        if self.waiting_for_keyframe and not keyframe:
            self.stats.waiting_keyframe += 1
            return []
        self.waiting_for_keyframe = False
        self.stats.frames += 1
        return [EncodedFrame(self._timestamp, data, keyframe)]
