"""RTP headers of forwarded packets, written straight into bytes."""

from __future__ import annotations

import struct

from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters

_MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid"
_ABS_SEND_TIME_URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
_AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
_ONE_BYTE_PROFILE = 0xBEDE
_FIXED = struct.Struct("!BBHLL")
_FIXED_WITH_EXTENSIONS = struct.Struct("!BBHLLHH")


class HeaderWriter:
    """Writes the RTP header of a forwarded packet straight into bytes: the same bytes
    aiortc's `RtpPacket.serialize` gives for the extensions the SFU sets (mid,
    abs-send-time, audio level), without building a packet object and an extension list
    per packet and subscriber (the largest per-packet cost in profiles). `usable` is False
    when the one-byte extension form does not apply; the sender then serializes as before.
    """

    def __init__(
        self,
        extensions: list[RTCRtpHeaderExtensionParameters],
        mid: str | None,
        payload_type: int,
        ssrc: int,
    ) -> None:
        ids = {extension.uri: extension.id for extension in extensions}
        mid_id = ids.get(_MID_URI, 0)
        self._abs_send_time_id = ids.get(_ABS_SEND_TIME_URI, 0)
        self._audio_level_id = ids.get(_AUDIO_LEVEL_URI, 0)
        self._payload_type = payload_type
        self._ssrc = ssrc
        mid_bytes = mid.encode() if mid is not None and mid_id else b""
        self._mid = bytes([(mid_id << 4) | (len(mid_bytes) - 1)]) + mid_bytes if mid_bytes else b""
        self.usable = (
            all(i <= 14 for i in (mid_id, self._abs_send_time_id, self._audio_level_id))
            and len(mid_bytes) <= 16
            and (mid is None or not mid_id or bool(mid_bytes))
        )

    def header(
        self,
        marker: int,
        seq: int,
        timestamp: int,
        abs_send_time: int,
        audio_level: tuple[bool, int] | None,
        *,
        padded: bool = False,
    ) -> bytes:
        extensions = self._mid
        if self._abs_send_time_id:
            extensions += bytes([(self._abs_send_time_id << 4) | 2]) + abs_send_time.to_bytes(
                3, "big"
            )
        if audio_level is not None and self._audio_level_id:
            vad = 0x80 if audio_level[0] else 0
            extensions += bytes([self._audio_level_id << 4, vad | (audio_level[1] & 0x7F)])
        first = 0x80 | (padded << 5)
        second = (marker << 7) | self._payload_type
        if not extensions:
            return _FIXED.pack(first, second, seq, timestamp, self._ssrc)
        extensions += b"\x00" * (-len(extensions) % 4)
        return (
            _FIXED_WITH_EXTENSIONS.pack(
                first | 0x10,
                second,
                seq,
                timestamp,
                self._ssrc,
                _ONE_BYTE_PROFILE,
                len(extensions) >> 2,
            )
            + extensions
        )
