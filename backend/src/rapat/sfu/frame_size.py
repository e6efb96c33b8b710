"""The picture size of a video stream, read from the RTP packets that start a keyframe.

The SFU never decodes, yet a room's video quality cap must hold even against a client that
ignores it. Both codecs we forward state the size in the clear at every keyframe: VP8 in
the keyframe's header (RFC 6386, 9.1), H.264 in the sequence parameter set sent with each
IDR picture (ITU-T H.264, 7.3.2.1). A size is only ever read there, so the check costs one
look at the first bytes of a keyframe's first packet.
"""

from __future__ import annotations


def keyframe_size(mime_type: str, payload: bytes) -> tuple[int, int] | None:
    """(width, height) when `payload` starts a keyframe that states its size, else None."""
    codec = mime_type.lower()
    if codec == "video/vp8":
        return vp8_keyframe_size(payload)
    if codec == "video/h264":
        return h264_keyframe_size(payload)
    return None


def vp8_keyframe_size(payload: bytes) -> tuple[int, int] | None:
    start = _vp8_descriptor_length(payload)
    if start is None:
        return None
    header = payload[start : start + 10]
    # a keyframe (P bit clear), then the start code 9d 01 2a, then 14-bit width and height
    if len(header) < 10 or header[0] & 0x01 or header[3:6] != b"\x9d\x01\x2a":
        return None
    width = int.from_bytes(header[6:8], "little") & 0x3FFF
    height = int.from_bytes(header[8:10], "little") & 0x3FFF
    return width, height


def _vp8_descriptor_length(payload: bytes) -> int | None:
    """Length of the VP8 payload descriptor (RFC 7741, 4.2) when the packet starts partition
    0 of a frame, else None."""
    if not payload:
        return None
    first = payload[0]
    starts_frame = first & 0x10 and first & 0x07 == 0
    if not starts_frame:
        return None
    offset = 1
    if first & 0x80:  # extended control bits
        if len(payload) < 2:
            return None
        extension = payload[1]
        offset = 2
        if extension & 0x80:  # picture id, 7 or 15 bits
            if len(payload) <= offset:
                return None
            offset += 2 if payload[offset] & 0x80 else 1
        if extension & 0x40:  # TL0PICIDX
            offset += 1
        if extension & 0x30:  # TID / KEYIDX
            offset += 1
    return offset


def h264_keyframe_size(payload: bytes) -> tuple[int, int] | None:
    """The size stated by a sequence parameter set carried whole in this packet (alone or
    in a STAP-A aggregate, which is how browsers send it ahead of an IDR picture)."""
    for unit in _h264_units(payload):
        if unit and unit[0] & 0x1F == 7:
            try:
                width, height = _sps_size(unit[1:])
            except IndexError:  # truncated: no size stated
                return None
            return (width, height) if width > 0 and height > 0 else None
    return None


def _h264_units(payload: bytes) -> list[bytes]:
    if not payload:
        return []
    if payload[0] & 0x1F != 24:  # a single NAL unit (FU-A fragments never carry an SPS whole)
        return [payload]
    units, offset = [], 1
    while offset + 2 <= len(payload):
        size = int.from_bytes(payload[offset : offset + 2], "big")
        units.append(payload[offset + 2 : offset + 2 + size])
        offset += 2 + size
    return units


class _Bits:
    """Reads an RBSP bit by bit (emulation prevention bytes already removed)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._position = 0

    def bit(self) -> int:
        byte = self._data[self._position >> 3]
        value = (byte >> (7 - (self._position & 7))) & 1
        self._position += 1
        return value

    def bits(self, count: int) -> int:
        value = 0
        for _ in range(count):
            value = (value << 1) | self.bit()
        return value

    def ue(self) -> int:
        zeros = 0
        while self.bit() == 0:
            zeros += 1
            if zeros > 31:
                raise IndexError("exp-Golomb code too long")
        return (1 << zeros) - 1 + self.bits(zeros)

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code & 1 else -(code // 2)


_HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


def _unescape(data: bytes) -> bytes:
    return data.replace(b"\x00\x00\x03", b"\x00\x00")


def _skip_scaling_list(bits: _Bits, size: int) -> None:
    last = following = 8
    for _ in range(size):
        if following:
            following = (last + bits.se() + 256) % 256
        last = following or last


def _sps_size(body: bytes) -> tuple[int, int]:
    bits = _Bits(_unescape(body))
    profile = bits.bits(8)
    bits.bits(16)  # constraint flags, level
    bits.ue()  # seq_parameter_set_id
    chroma_format = 1
    if profile in _HIGH_PROFILES:
        chroma_format = bits.ue()
        if chroma_format == 3:
            bits.bit()  # separate_colour_plane_flag
        bits.ue()  # bit depths
        bits.ue()
        bits.bit()  # qpprime_y_zero_transform_bypass_flag
        if bits.bit():  # seq_scaling_matrix_present_flag
            for index in range(8 if chroma_format != 3 else 12):
                if bits.bit():
                    _skip_scaling_list(bits, 16 if index < 6 else 64)
    bits.ue()  # log2_max_frame_num_minus4
    _skip_picture_order(bits)
    bits.ue()  # max_num_ref_frames
    bits.bit()  # gaps_in_frame_num_value_allowed_flag
    width_mbs = bits.ue() + 1
    height_units = bits.ue() + 1
    frame_mbs_only = bits.bit()
    if not frame_mbs_only:
        bits.bit()  # mb_adaptive_frame_field_flag
    bits.bit()  # direct_8x8_inference_flag
    width = width_mbs * 16
    height = (2 - frame_mbs_only) * height_units * 16
    if bits.bit():  # frame_cropping_flag
        left, right, top, bottom = bits.ue(), bits.ue(), bits.ue(), bits.ue()
        unit_x = 1 if chroma_format in (0, 3) else 2
        unit_y = (2 - frame_mbs_only) * (2 if chroma_format == 1 else 1)
        width -= unit_x * (left + right)
        height -= unit_y * (top + bottom)
    return width, height


def _skip_picture_order(bits: _Bits) -> None:
    kind = bits.ue()  # pic_order_cnt_type
    if kind == 0:
        bits.ue()
    elif kind == 1:
        bits.bit()
        bits.se()
        bits.se()
        for _ in range(bits.ue()):
            bits.se()
