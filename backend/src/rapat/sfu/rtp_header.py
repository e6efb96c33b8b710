"""RTP headers: those of forwarded packets written straight into bytes, those of incoming
packets read with only the extensions the SFU uses."""

from __future__ import annotations

import struct

from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters
from aiortc.rtp import RtpPacket

_MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid"
_ABS_SEND_TIME_URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
_AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
_ONE_BYTE_PROFILE = 0xBEDE
_FIXED = struct.Struct("!BBHLL")
_FIXED_WITH_EXTENSIONS = struct.Struct("!BBHLLHH")


class HeaderWriter:
    """Writes the RTP header of a forwarded packet straight into bytes: the same bytes
    aiortc's `RtpPacket.serialize` gives for the extensions the SFU sets (mid,
    abs-send-time, audio level), without building a packet object and an extension list
    per packet and subscriber (the largest per-packet cost in profiles). The layout is fixed
    per stream, so each header is one `struct` call: the constant part (SSRC, extension
    header, mid) is packed with the changing fields, and each extension's id byte is
    folded into its value's first 16 bits. `usable` is False when the one-byte extension
    form does not apply; the sender then serializes as before.
    """

    __slots__ = (
        "_abs_send_time_high",
        "_audio_level_high",
        "_first",
        "_first_padded",
        "_payload_type",
        "_with_level",
        "_with_level_constants",
        "_without_level",
        "_without_level_constants",
        "usable",
    )

    def __init__(
        self,
        extensions: list[RTCRtpHeaderExtensionParameters],
        mid: str | None,
        payload_type: int,
        ssrc: int,
    ) -> None:
        ids = {extension.uri: extension.id for extension in extensions}
        mid_id = ids.get(_MID_URI, 0)
        abs_send_time_id = ids.get(_ABS_SEND_TIME_URI, 0)
        audio_level_id = ids.get(_AUDIO_LEVEL_URI, 0)
        self._payload_type = payload_type
        mid_bytes = mid.encode() if mid is not None and mid_id else b""
        self.usable = (
            all(i <= 14 for i in (mid_id, abs_send_time_id, audio_level_id))
            and len(mid_bytes) <= 16
            and (mid is None or not mid_id or bool(mid_bytes))
        )
        mid_element = (
            bytes([(mid_id << 4) | (len(mid_bytes) - 1)]) + mid_bytes if mid_bytes else b""
        )
        # abs-send-time: id byte and the top 8 of its 24 bits as one 16-bit field, then 16 bits
        self._abs_send_time_high = ((abs_send_time_id << 4) | 2) << 8 if abs_send_time_id else 0
        self._audio_level_high = (audio_level_id << 4) << 8  # id byte, then VAD and level
        self._without_level, self._without_level_constants = self._layout(
            ssrc, mid_element, bool(abs_send_time_id), with_level=False
        )
        self._with_level, self._with_level_constants = self._layout(
            ssrc, mid_element, bool(abs_send_time_id), with_level=bool(audio_level_id)
        )
        # version 2, and the X bit when there are extensions without an audio level (a level
        # sets it per packet)
        self._first = 0x90 if mid_element or abs_send_time_id else 0x80
        self._first_padded = self._first | 0x20

    @staticmethod
    def _layout(
        ssrc: int, mid_element: bytes, abs_send_time: bool, *, with_level: bool
    ) -> tuple[struct.Struct, tuple[int | bytes, ...]]:
        """The header's struct and its constant fields (after the timestamp)."""
        size = len(mid_element) + 4 * abs_send_time + 2 * with_level
        if not size:
            return _FIXED, (ssrc,)
        padding = -size % 4
        layout = f"!BBHLLHH{len(mid_element)}s" + "HH" * abs_send_time + "H" * with_level
        layout += f"{padding}x"
        words = (size + padding) >> 2
        return struct.Struct(layout), (ssrc, _ONE_BYTE_PROFILE, words, mid_element)

    def header(  # noqa: PLR0917 - called per packet and subscriber: positional is cheaper
        self,
        marker: int,
        seq: int,
        timestamp: int,
        abs_send_time: int,
        audio_level: tuple[bool, int] | None,
        padded: bool = False,
    ) -> bytes:
        first = self._first_padded if padded else self._first
        second = (marker << 7) | self._payload_type
        abs_high = self._abs_send_time_high
        if audio_level is not None and self._audio_level_high:
            first |= 0x10
            level = (
                self._audio_level_high | (0x80 if audio_level[0] else 0) | (audio_level[1] & 0x7F)
            )
            if abs_high:
                return self._with_level.pack(
                    first,
                    second,
                    seq,
                    timestamp,
                    *self._with_level_constants,
                    abs_high | (abs_send_time >> 16),
                    abs_send_time & 0xFFFF,
                    level,
                )
            return self._with_level.pack(
                first, second, seq, timestamp, *self._with_level_constants, level
            )
        if abs_high:
            return self._without_level.pack(
                first,
                second,
                seq,
                timestamp,
                *self._without_level_constants,
                abs_high | (abs_send_time >> 16),
                abs_send_time & 0xFFFF,
            )
        return self._without_level.pack(
            first, second, seq, timestamp, *self._without_level_constants
        )


_TWO_BYTE_PROFILE = 0x1000
_EXTENSION_HEADER = struct.Struct("!HH")


class RtpReader:
    """Reads incoming packets as aiortc's `RtpPacket.parse` does, but of the header
    extensions only those the SFU uses (abs-send-time, the audio level, and for simulcast
    the mid and the rtp stream ids, which a browser sends in a stream's first packets),
    with no extension list built: about half of aiortc's cost per incoming packet.
    `configure` takes the negotiated extensions of each stream of the transport (one
    numbering per BUNDLE)."""

    def __init__(self) -> None:
        self.abs_send_time_id = 0
        self.audio_level_id = 0
        self.mid_id = 0  # read only once a stream is simulcast (it routes new SSRCs)
        self.rid_id = 0
        self.repaired_rid_id = 0
        self._negotiated_mid_id = 0

    def configure(self, extensions: list[RTCRtpHeaderExtensionParameters]) -> None:
        for extension in extensions:
            if extension.uri == _ABS_SEND_TIME_URI:
                self.abs_send_time_id = extension.id
            elif extension.uri == _AUDIO_LEVEL_URI:
                self.audio_level_id = extension.id
            elif extension.uri == _MID_URI:
                self._negotiated_mid_id = extension.id
            elif extension.uri == RID_URI:
                self.rid_id = extension.id
            elif extension.uri == REPAIRED_RID_URI:
                self.repaired_rid_id = extension.id
        if self.rid_id:
            self.mid_id = self._negotiated_mid_id

    def parse(self, data: bytes) -> RtpPacket:
        """Raises ValueError on a malformed packet, as aiortc does."""
        if len(data) < 12:
            raise ValueError("RTP packet length is less than 12 bytes")
        first, second, seq, timestamp, ssrc = _FIXED.unpack_from(data)
        if first >> 6 != 2:
            raise ValueError("RTP packet has invalid version")
        csrcs = first & 0x0F
        pos = 12 + 4 * csrcs
        if len(data) < pos:
            raise ValueError("RTP packet has truncated CSRC")
        packet = RtpPacket(second & 0x7F, second >> 7, seq, timestamp, ssrc)
        if csrcs:
            packet.csrc = list(struct.unpack_from(f"!{csrcs}L", data, 12))
        if first & 0x10:
            if len(data) < pos + 4:
                raise ValueError("RTP packet has truncated extension profile / length")
            profile, words = _EXTENSION_HEADER.unpack_from(data, pos)
            end = pos + 4 + 4 * words
            if len(data) < end:
                raise ValueError("RTP packet has truncated extension value")
            if profile in (_ONE_BYTE_PROFILE, _TWO_BYTE_PROFILE):
                self._read_extensions(packet, data, pos + 4, end, profile == _TWO_BYTE_PROFILE)
            pos = end
        if first & 0x20:
            padding = data[-1]
            if not padding or padding > len(data) - pos:
                raise ValueError("RTP packet padding length is invalid")
            packet.padding_size = padding
            packet.payload = data[pos:-padding]
        else:
            packet.payload = data[pos:]
        return packet

    def _read_extensions(
        self, packet: RtpPacket, data: bytes, pos: int, end: int, two_byte: bool
    ) -> None:
        """The one-byte (0xBEDE) or two-byte (0x1000) extension block in `data[pos:end]`
        (RFC 8285)."""
        while pos < end:
            byte = data[pos]
            if byte == 0:  # padding
                pos += 1
                continue
            if two_byte:
                if end < pos + 2:
                    raise ValueError("RTP two-byte header extension is truncated")
                ext_id, length = byte, data[pos + 1]
                pos += 2
            else:
                ext_id, length = byte >> 4, (byte & 0x0F) + 1
                pos += 1
            if end < pos + length:
                raise ValueError("RTP header extension value is truncated")
            if ext_id == self.abs_send_time_id:
                value = int.from_bytes(data[pos : pos + length], "big")
                packet.extensions.abs_send_time = value
            elif ext_id == self.audio_level_id and length:
                packet.extensions.audio_level = (data[pos] & 0x80 == 0x80, data[pos] & 0x7F)
            elif ext_id == self.mid_id:
                packet.extensions.mid = _text(data[pos : pos + length])
            elif ext_id == self.rid_id:
                packet.extensions.rtp_stream_id = _text(data[pos : pos + length])
            elif ext_id == self.repaired_rid_id:
                packet.extensions.repaired_rtp_stream_id = _text(data[pos : pos + length])
            pos += length


def _text(value: bytes) -> str:
    return value.decode("ascii", "replace")
