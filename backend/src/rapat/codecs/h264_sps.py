"""The picture size stated by an H.264 sequence parameter set (ITU-T H.264, 7.3.2.1.1)."""

from __future__ import annotations

# Profiles whose SPS carries chroma format, bit depths and scaling matrices.
_HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


class _Bits:
    """Reads an RBSP (emulation prevention bytes removed) bit by bit."""

    def __init__(self, data: bytes) -> None:
        self._value = int.from_bytes(data, "big")
        self._left = len(data) * 8

    def bits(self, count: int) -> int:
        if count > self._left:
            raise ValueError("the parameter set ends early")
        self._left -= count
        return (self._value >> self._left) & ((1 << count) - 1)

    def ue(self) -> int:
        """Unsigned Exp-Golomb."""
        zeros = 0
        while self.bits(1) == 0:
            zeros += 1
            if zeros > 31:
                raise ValueError("an Exp-Golomb code is too long")
        return (1 << zeros) - 1 + self.bits(zeros)

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code % 2 else -(code // 2)


def _unescape(nal: bytes) -> bytes:
    """Drops emulation-prevention bytes (00 00 03 → 00 00)."""
    return nal.replace(b"\x00\x00\x03", b"\x00\x00")


def _skip_scaling_lists(reader: _Bits, chroma_format: int) -> None:
    for index in range(8 if chroma_format != 3 else 12):
        if reader.bits(1):
            size, last, following = (16 if index < 6 else 64), 8, 8
            for _ in range(size):
                if following:
                    following = (last + reader.se() + 256) % 256
                last = following or last


def _skip_picture_order(reader: _Bits) -> None:
    order_type = reader.ue()
    if order_type == 0:
        reader.ue()
    elif order_type == 1:
        reader.bits(1)
        reader.se()
        reader.se()
        for _ in range(reader.ue()):
            reader.se()


def picture_size(sps: bytes) -> tuple[int, int]:
    """(width, height) in pixels of an SPS NAL unit (header byte included); `ValueError`
    when it ends early."""
    reader = _Bits(_unescape(sps[1:]))
    profile = reader.bits(8)
    reader.bits(16)  # constraint flags and level
    reader.ue()  # seq_parameter_set_id
    chroma_format = 1
    if profile in _HIGH_PROFILES:
        chroma_format = reader.ue()
        if chroma_format == 3:
            reader.bits(1)  # separate_colour_plane_flag
        reader.ue()  # bit depths
        reader.ue()
        reader.bits(1)  # qpprime_y_zero_transform_bypass_flag
        if reader.bits(1):  # seq_scaling_matrix_present_flag
            _skip_scaling_lists(reader, chroma_format)
    reader.ue()  # log2_max_frame_num_minus4
    _skip_picture_order(reader)
    reader.ue()  # max_num_ref_frames
    reader.bits(1)  # gaps_in_frame_num_value_allowed_flag
    width_mbs = reader.ue() + 1
    height_units = reader.ue() + 1
    frame_mbs_only = reader.bits(1)
    if not frame_mbs_only:
        reader.bits(1)  # mb_adaptive_frame_field_flag
    reader.bits(1)  # direct_8x8_inference_flag
    crop = [reader.ue() for _ in range(4)] if reader.bits(1) else [0, 0, 0, 0]
    unit_x = 1 if chroma_format in (0, 3) else 2
    unit_y = (2 - frame_mbs_only) * (2 if chroma_format == 1 else 1)
    width = width_mbs * 16 - (crop[0] + crop[1]) * unit_x
    height = (2 - frame_mbs_only) * height_units * 16 - (crop[2] + crop[3]) * unit_y
    return width, height
