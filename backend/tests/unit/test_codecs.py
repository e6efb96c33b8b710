"""The bitstream readers of `rapat.codecs`, on what aiortc's real VP8 and H.264 encoders
and packetizers (and libx264) produce."""

from __future__ import annotations

import fractions

import av
import pytest
from aiortc.codecs import get_encoder
from aiortc.codecs.vpx import VpxPayloadDescriptor
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from hypothesis import given
from hypothesis import strategies as st

from rapat.codecs import h264, h264_sps, vp8
from rapat.codecs.keyframe_start import starts_keyframe
from rapat.codecs.picture_size import keyframe_size
from tests.recording_media import x264_keyframe_units

CODECS = {
    "video/VP8": RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=96),
    "video/H264": RTCRtpCodecParameters(
        mimeType="video/H264",
        clockRate=90000,
        payloadType=97,
        parameters={"packetization-mode": "1", "profile-level-id": "42e01f"},
    ),
}


def encoded(mime: str, width: int, height: int, frames: int = 1) -> list[list[bytes]]:
    """The RTP payloads of `frames` frames, the first one a keyframe."""
    encoder = get_encoder(CODECS[mime])
    result = []
    for index in range(frames):
        frame = av.VideoFrame(width=width, height=height, format="yuv420p")
        for plane in frame.planes:
            plane.update(bytes([index * 40 % 256]) * plane.buffer_size)
        frame.pts = index * 3000
        frame.time_base = fractions.Fraction(1, 90000)
        payloads, _ = encoder.encode(frame, force_keyframe=index == 0)
        result.append(payloads)
    return result


@pytest.mark.parametrize("picture_id", [None, 17, 300])
def test_vp8_descriptor_length_matches_aiortcs_descriptors(picture_id: int | None) -> None:
    descriptor = VpxPayloadDescriptor(
        partition_start=1, partition_id=0, picture_id=picture_id, tl0picidx=3, tid=(1, 0)
    )
    payload = bytes(descriptor) + b"data"
    assert vp8.descriptor_length(payload) == len(bytes(descriptor))
    assert vp8.descriptor_length(payload[:1]) in (None, 1)
    assert vp8.starts_frame(payload)
    later = VpxPayloadDescriptor(partition_start=0, partition_id=0, picture_id=picture_id)
    assert not vp8.starts_frame(bytes(later) + b"data")


@pytest.mark.parametrize("mime", sorted(CODECS))
@pytest.mark.parametrize(
    ("width", "height"), [(320, 180), (640, 360), (1280, 720), (720, 1280), (1918, 1080)]
)
def test_a_keyframe_states_its_size_in_its_first_packet(mime: str, width: int, height: int) -> None:
    keyframe = encoded(mime, width, height)[0]
    assert keyframe_size(mime, keyframe[0]) == (width, height)
    assert [keyframe_size(mime, later) for later in keyframe[1:]] == [None] * (len(keyframe) - 1)


@pytest.mark.parametrize("mime", sorted(CODECS))
def test_other_frames_state_no_size(mime: str) -> None:
    frames = encoded(mime, 640, 360, frames=3)
    assert all(keyframe_size(mime, payload) is None for f in frames[1:] for payload in f)


def test_audio_and_unknown_codecs_state_no_size() -> None:
    assert keyframe_size("audio/opus", b"\x10\x00\x9d\x01\x2a" + bytes(10)) is None
    assert keyframe_size("video/AV1", bytes(20)) is None


@given(st.binary(max_size=64))
def test_any_bytes_give_a_size_or_none_and_never_raise(payload: bytes) -> None:
    for mime in CODECS:
        size = keyframe_size(mime, payload)
        assert size is None or (size[0] >= 0 and size[1] >= 0)


@pytest.mark.parametrize(("width", "height"), [(352, 288), (320, 180), (1280, 720), (642, 362)])
def test_h264_sps_size_with_cropping_and_a_high_profile(width: int, height: int) -> None:
    # libx264 writes High profile SPSs; 180 and 362 are not whole macroblocks: it crops.
    sps = next(unit for unit in x264_keyframe_units(width, height) if h264.nal_type(unit) == 7)
    assert h264_sps.picture_size(sps) == (width, height)
    with pytest.raises(ValueError, match="ends early"):
        h264_sps.picture_size(sps[:4])


def test_stap_a_units_and_malformed_aggregates() -> None:
    sps, pps = b"\x67\x42\x00\x1f", b"\x68\xce"
    stap = bytes([24]) + len(sps).to_bytes(2, "big") + sps + len(pps).to_bytes(2, "big") + pps
    assert h264.nal_units(stap) == [sps, pps]
    assert h264.nal_units(stap[:-1]) is None  # the last unit is cut short
    assert h264.nal_units(bytes([28, 0x85, 1])) is None  # an FU-A fragment holds no whole unit
    assert h264.split_annexb(h264.START_CODE + sps + b"\x00\x00\x01" + pps) == [sps, pps]


@pytest.mark.parametrize("mime", sorted(CODECS))
def test_only_the_first_packet_of_a_keyframe_starts_one(mime: str) -> None:
    frames = encoded(mime, 640, 360, frames=3)
    starts = [[starts_keyframe(mime, payload) for payload in frame] for frame in frames]
    assert starts[0][0]
    assert not any(starts[0][1:])
    assert not any(flag for frame in starts[1:] for flag in frame)  # delta frames


def test_h264_keyframe_starts_without_an_sps_and_in_fragments() -> None:
    idr_first_slice, idr_later_slice = b"\x65\x88\x80", b"\x65\x48\x80"
    assert starts_keyframe("video/H264", idr_first_slice)
    assert not starts_keyframe("video/H264", idr_later_slice)
    fu_start, fu_middle = bytes([0x7C, 0x85, 0x88]), bytes([0x7C, 0x05, 0x88])
    assert starts_keyframe("video/H264", fu_start)
    assert not starts_keyframe("video/H264", fu_middle)
    assert not starts_keyframe("video/H264", bytes([0x7C, 0x81, 0x88]))  # a P slice starts
    assert not starts_keyframe("video/H264", b"\x68\xce\x01")  # a PPS alone


def test_audio_and_unknown_codecs_never_start_a_keyframe() -> None:
    assert not starts_keyframe("audio/opus", b"\x10\x00\x9d\x01\x2a" + bytes(10))
    assert not starts_keyframe("video/AV1", bytes(20))


@given(st.binary(max_size=64))
def test_any_bytes_start_a_keyframe_or_not_and_never_raise(payload: bytes) -> None:
    for mime in CODECS:
        assert starts_keyframe(mime, payload) in (True, False)
