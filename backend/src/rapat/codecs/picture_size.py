"""The picture size a video keyframe states in its first RTP packet, by codec: VP8 in the
keyframe's header, H.264 in the sequence parameter set sent with each IDR picture. A size
is only ever read there, so a check costs one look at the first bytes of one packet."""

from __future__ import annotations

from rapat.codecs import h264, h264_sps, vp8


def keyframe_size(mime_type: str, payload: bytes) -> tuple[int, int] | None:
    """(width, height) when `payload` starts a keyframe that states its size, else None."""
    codec = mime_type.lower()
    if codec == "video/vp8":
        return vp8.payload_keyframe_size(payload)
    if codec == "video/h264":
        return h264_sps_size(payload)
    return None


def h264_sps_size(payload: bytes) -> tuple[int, int] | None:
    """The size stated by a sequence parameter set carried whole in this packet (alone or in
    a STAP-A aggregate, which is how browsers send it ahead of an IDR picture)."""
    for unit in h264.nal_units(payload) or []:
        if h264.nal_type(unit) == h264.NAL_SPS:
            try:
                width, height = h264_sps.picture_size(unit)
            except ValueError:  # truncated: no size stated
                return None
            return (width, height) if width > 0 and height > 0 else None
    return None
