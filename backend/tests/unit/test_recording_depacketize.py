"""Depacketizers, frame assembly and the RTP clock, on payloads made by aiortc's packetizers
(the bitstream readers under them are tested in test_codecs.py)."""

from __future__ import annotations

import pytest
from aiortc.codecs.h264 import H264Encoder
from aiortc.codecs.vpx import VpxPayloadDescriptor
from aiortc.rtp import RtpPacket

from rapat.recording.frame_assembler import FrameAssembler
from rapat.recording.h264 import H264Depacketizer
from rapat.recording.reorder_buffer import Lost
from rapat.recording.rtp_clock import NTP_UNIX_OFFSET, ClockSource, RtpClock
from rapat.recording.vp8 import Vp8Depacketizer
from tests.recording_media import x264_keyframe_units

# A VP8 keyframe's first ten bytes: frame tag (keyframe), start code, 640x360.
VP8_KEY = bytes([0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0x68, 0x01])
VP8_DELTA = bytes([0x31, 0x01, 0x00, 0x11, 0x22])


def test_vp8_frames_keyframes_and_size() -> None:
    vp8 = Vp8Depacketizer()
    head = bytes(VpxPayloadDescriptor(partition_start=1, partition_id=0, picture_id=5))
    tail = bytes(VpxPayloadDescriptor(partition_start=0, partition_id=0, picture_id=5))
    data = vp8.frame_data([head + VP8_KEY[:4], tail + VP8_KEY[4:]])
    assert data == VP8_KEY
    assert vp8.is_keyframe(data)
    assert not vp8.is_keyframe(VP8_DELTA)
    assert vp8.stream_setup(VP8_KEY).width == 640
    assert vp8.stream_setup(VP8_KEY).height == 360
    assert vp8.frame_data([tail + VP8_KEY]) is None  # no first packet: not a whole frame


def test_h264_fu_a_and_stap_a_join_into_an_annexb_keyframe() -> None:
    units = x264_keyframe_units()
    payloads = H264Encoder._packetize(units)  # aiortc's own STAP-A / FU-A packetizer
    assert {p[0] & 0x1F for p in payloads} >= {24, 28}
    h264 = H264Depacketizer()
    assert h264.starts_frame(payloads[0])
    data = h264.frame_data(payloads)
    assert data is not None
    assert h264.is_keyframe(data)
    assert data.count(b"\x00\x00\x00\x01") == len(units)
    setup = h264.stream_setup(data)
    assert (setup.width, setup.height) == (352, 288)
    assert payloads[1][0] & 0x1F == 28
    assert h264.frame_data(payloads[:1] + payloads[2:]) is None  # a fragment without its start


def test_h264_idr_without_parameter_sets_gets_the_last_ones() -> None:
    units = x264_keyframe_units()
    h264 = H264Depacketizer()
    h264.frame_data(H264Encoder._packetize(units))
    idr = [unit for unit in units if unit[0] & 0x1F == 5]
    data = h264.frame_data(H264Encoder._packetize(idr))
    assert data is not None
    assert h264.is_keyframe(data)


def _rtp(sequence: int, timestamp: int, payload: bytes, marker: int = 0) -> RtpPacket:
    return RtpPacket(sequence_number=sequence, timestamp=timestamp, payload=payload, marker=marker)


def test_assembler_drops_video_until_a_keyframe_after_a_loss() -> None:
    head = bytes(VpxPayloadDescriptor(partition_start=1, partition_id=0, picture_id=1))
    tail = bytes(VpxPayloadDescriptor(partition_start=0, partition_id=0, picture_id=1))
    assembler = FrameAssembler(Vp8Depacketizer(), video=True)
    frames = assembler.push(_rtp(1, 0, head + VP8_DELTA, marker=1))  # no keyframe yet
    frames += assembler.push(_rtp(2, 3000, head + VP8_KEY[:5]))
    frames += assembler.push(_rtp(3, 3000, tail + VP8_KEY[5:], marker=1))
    frames += assembler.push(_rtp(4, 6000, head + VP8_DELTA[:2]))
    frames += assembler.push(Lost(1))  # the end of that frame
    frames += assembler.push(_rtp(6, 9000, head + VP8_DELTA, marker=1))
    frames += assembler.push(_rtp(7, 12000, head + VP8_KEY, marker=1))
    assert [(f.timestamp, f.keyframe) for f in frames] == [(3000, True), (12000, True)]
    assert assembler.stats.incomplete == 1
    assert assembler.stats.waiting_keyframe == 2


def test_clock_maps_through_sender_reports_across_the_wrap() -> None:
    clock = RtpClock(90_000)
    first = clock.extend(2**32 - 9000)
    clock.on_arrival(first, 1000.0)
    assert clock.wall_time(first + 90_000) == pytest.approx(1001.0)
    assert clock.source is ClockSource.ARRIVAL
    later = clock.extend(81_000)  # 1 s after `first`, past the wrap
    assert later == first + 90_000
    ntp = int((2000.5 + NTP_UNIX_OFFSET) * 2**32)
    clock.on_sender_report(ntp, 81_000)
    assert clock.source.value == ClockSource.SENDER_REPORT.value  # (mypy narrowed it above)
    assert clock.wall_time(first) == pytest.approx(1999.5, abs=1e-6)
