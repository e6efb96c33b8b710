"""H.264 over RTP (RFC 6184, packetization modes 0 and 1): single NAL units, STAP-A and
FU-A joined into one Annex-B access unit. The last SPS and PPS seen are kept and put in
front of an IDR picture that came without them, so every keyframe decodes on its own."""

from __future__ import annotations

from collections.abc import Sequence

from rapat.codecs.h264 import (
    FU_A,
    NAL_AUD,
    NAL_IDR,
    NAL_PPS,
    NAL_SLICE,
    NAL_SPS,
    START_CODE,
    nal_units,
    split_annexb,
)
from rapat.codecs.h264_sps import picture_size
from rapat.recording.frames import StreamSetup


def _first_nal(payload: bytes) -> tuple[int, bytes] | None:
    """The type and (beginning of) the first NAL unit a payload carries or starts."""
    if len(payload) < 2:
        return None
    kind = payload[0] & 0x1F
    if kind == FU_A:
        if not payload[1] & 0x80:  # not the fragment that starts the unit
            return None
        return payload[1] & 0x1F, payload[1:]
    units = nal_units(payload)
    return (units[0][0] & 0x1F, units[0]) if units else None


class H264Depacketizer:
    one_packet_per_frame = False

    def __init__(self) -> None:
        self._sps: bytes | None = None
        self._pps: bytes | None = None

    def starts_frame(self, payload: bytes) -> bool:
        first = _first_nal(payload)
        if first is None:
            return False
        kind, unit = first
        if kind in (NAL_SPS, NAL_AUD):
            return True
        # A slice whose first_mb_in_slice is 0 (ue(v) "1") begins its picture.
        return kind in (NAL_SLICE, NAL_IDR) and len(unit) > 1 and bool(unit[1] & 0x80)

    def frame_data(self, payloads: Sequence[bytes]) -> bytes | None:
        units = self._join(payloads)
        if not units:
            return None
        kinds = {unit[0] & 0x1F for unit in units}
        for unit in units:
            if unit[0] & 0x1F == NAL_SPS:
                self._sps = unit
            elif unit[0] & 0x1F == NAL_PPS:
                self._pps = unit
        if NAL_IDR in kinds and not {NAL_SPS, NAL_PPS} <= kinds and self._sps and self._pps:
            units = [self._sps, self._pps, *units]
        return b"".join(START_CODE + unit for unit in units)

    def is_keyframe(self, data: bytes) -> bool:
        kinds = {unit[0] & 0x1F for unit in split_annexb(data)}
        return {NAL_IDR, NAL_SPS, NAL_PPS} <= kinds

    def stream_setup(self, keyframe: bytes) -> StreamSetup:
        # Annex-B parameter sets: the Matroska muxer turns them into avcC and the frames
        # into length-prefixed NAL units.
        sets = [u for u in split_annexb(keyframe) if u[0] & 0x1F in (NAL_SPS, NAL_PPS)]
        sps = next(u for u in sets if u[0] & 0x1F == NAL_SPS)
        width, height = picture_size(sps)
        return StreamSetup(width, height, b"".join(START_CODE + unit for unit in sets))

    @staticmethod
    def _join(payloads: Sequence[bytes]) -> list[bytes] | None:
        units: list[bytes] = []
        fragment: bytearray | None = None
        for payload in payloads:
            if payload and payload[0] & 0x1F == FU_A:
                if len(payload) < 3:
                    return None
                header = payload[1]
                if header & 0x80:  # S: rebuild the NAL header from indicator and FU header
                    if fragment is not None:
                        return None
                    fragment = bytearray([(payload[0] & 0xE0) | (header & 0x1F)])
                elif fragment is None:
                    return None
                fragment += payload[2:]
                if header & 0x40:  # E
                    units.append(bytes(fragment))
                    fragment = None
                continue
            if fragment is not None:
                return None
            found = nal_units(payload)
            if found is None:
                return None
            units.extend(found)
        return units if fragment is None else None
