"""Picture sizes read from keyframes that aiortc's real VP8 and H.264 encoders produce."""

from __future__ import annotations

import fractions

import av
import pytest
from aiortc.codecs import get_encoder
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from hypothesis import given
from hypothesis import strategies as st

from rapat.sfu.frame_size import keyframe_size
from rapat.sfu.interfaces import FrameBox

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


def test_a_box_fits_either_orientation_with_a_rounding_slack() -> None:
    box = FrameBox(1280, 720)
    assert box.fits(1280, 720)
    assert box.fits(720, 1280)
    assert box.fits(1282, 720)  # an encoder's even rounding
    assert box.fits(960, 720)
    assert not box.fits(1280, 960)
    assert not box.fits(1920, 1080)
