"""The SFU's RTP headers: written bytes equal to aiortc's serializer, incoming packets read
as aiortc's parser reads them, and the same refusal before the transport connects."""

from __future__ import annotations

import itertools

import pytest
from aiortc import RTCPeerConnection
from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters, RTCRtpSendParameters
from aiortc.rtp import HeaderExtensionsMap, RtpPacket

from rapat.sfu.hooks.rtp_link import send_srtp
from rapat.sfu.rtp_header import HeaderWriter, RtpReader

MID = "urn:ietf:params:rtp-hdrext:sdes:mid"
ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"


def extensions(ids: dict[str, int]) -> list[RTCRtpHeaderExtensionParameters]:
    return [RTCRtpHeaderExtensionParameters(id=i, uri=uri) for uri, i in ids.items()]


def aiortc_bytes(
    ids: dict[str, int],
    mid: str | None,
    marker: int,
    abs_send_time: int,
    level: tuple[bool, int] | None,
) -> bytes:
    mapping = HeaderExtensionsMap()
    mapping.configure(RTCRtpSendParameters(headerExtensions=extensions(ids)))
    packet = RtpPacket(
        payload_type=111,
        marker=marker,
        sequence_number=65535,
        timestamp=0xFFFFFFFF,
        ssrc=0x12345678,
        payload=b"\x90\x80payload",
    )
    packet.extensions.mid = mid
    packet.extensions.abs_send_time = abs_send_time
    packet.extensions.audio_level = level
    return packet.serialize(mapping)


ID_SETS = [
    {},
    {MID: 1},
    {MID: 1, ABS_SEND_TIME: 3},
    {MID: 4, ABS_SEND_TIME: 2, AUDIO_LEVEL: 14, TRANSPORT_CC: 5},
    {ABS_SEND_TIME: 9, AUDIO_LEVEL: 1},
    {AUDIO_LEVEL: 10},
]


@pytest.mark.parametrize(
    ("ids", "mid", "marker", "level"),
    list(
        itertools.product(
            ID_SETS,
            [None, "0", "12", "a-sixteen-bytes!"],
            [0, 1],
            [None, (True, 30), (False, 127), (True, 0)],
        )
    ),
)
def test_header_bytes_match_aiortc(
    ids: dict[str, int], mid: str | None, marker: int, level: tuple[bool, int] | None
) -> None:
    writer = HeaderWriter(extensions(ids), mid, 111, 0x12345678)
    assert writer.usable
    for abs_send_time in (0, 0x123456, 0xFFFFFF):
        written = writer.header(marker, 65535, 0xFFFFFFFF, abs_send_time, level)
        expected = aiortc_bytes(ids, mid, marker, abs_send_time, level)
        assert written + b"\x90\x80payload" == expected


def test_padding_sets_the_p_bit_only() -> None:
    writer = HeaderWriter(extensions({MID: 1}), "0", 96, 7)
    plain = writer.header(0, 1, 2, 3, None)
    padded = writer.header(0, 1, 2, 3, None, padded=True)
    assert padded[0] == plain[0] | 0x20
    assert padded[1:] == plain[1:]


@pytest.mark.parametrize(
    ("ids", "mid"),
    [
        ({MID: 15}, "0"),  # ids above 14 need the two-byte form
        ({ABS_SEND_TIME: 20}, None),
        ({MID: 1}, "seventeen-bytes!!"),  # too long for one byte
        ({MID: 1}, ""),  # an empty value needs the two-byte form too
    ],
)
def test_what_the_one_byte_form_cannot_carry_is_left_to_aiortc(
    ids: dict[str, int], mid: str
) -> None:
    assert not HeaderWriter(extensions(ids), mid, 96, 7).usable


async def test_sending_before_the_transport_connects_is_a_connection_error() -> None:
    """The direct send path keeps aiortc's refusal (the SFU drops the packet on it)."""
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("video", direction="sendonly")
    try:
        with pytest.raises(ConnectionError, match="not connected"):
            send_srtp(transceiver.sender.transport, b"\x80" * 20)
    finally:
        await pc.close()


def incoming(ids: dict[str, int], **fields: object) -> tuple[bytes, HeaderExtensionsMap]:
    """A packet as aiortc serializes it (one-byte extensions, or two-byte for ids > 14)."""
    mapping = HeaderExtensionsMap()
    mapping.configure(RTCRtpSendParameters(headerExtensions=extensions(ids)))
    packet = RtpPacket(payload_type=96, sequence_number=7, timestamp=9, ssrc=0xDEADBEEF)
    packet.payload = b"\x10" * 37
    packet.csrc = list(fields.pop("csrc", []))  # type: ignore[call-overload]
    packet.padding_size = int(fields.pop("padding", 0))  # type: ignore[call-overload]
    packet.marker = int(fields.pop("marker", 0))  # type: ignore[call-overload]
    packet.extensions.mid = "3"
    packet.extensions.abs_send_time = 0xABCDEF
    packet.extensions.audio_level = (True, 42)
    return packet.serialize(mapping), mapping


@pytest.mark.parametrize(
    "fields",
    [{}, {"marker": 1}, {"csrc": [1, 2, 3]}, {"padding": 5}, {"csrc": [9], "padding": 1}],
)
@pytest.mark.parametrize("ids", [*ID_SETS, {MID: 16, ABS_SEND_TIME: 17, AUDIO_LEVEL: 40}])
def test_incoming_packets_read_as_aiortc_reads_them(
    ids: dict[str, int], fields: dict[str, object]
) -> None:
    data, mapping = incoming(ids, **fields)
    reader = RtpReader()
    reader.configure(extensions(ids))
    ours, theirs = reader.parse(data), RtpPacket.parse(data, mapping)
    for name in ("payload_type", "marker", "sequence_number", "timestamp", "ssrc", "csrc"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert (ours.payload, ours.padding_size) == (theirs.payload, theirs.padding_size)
    assert ours.extensions.abs_send_time == theirs.extensions.abs_send_time
    assert ours.extensions.audio_level == theirs.extensions.audio_level


@pytest.mark.parametrize(
    "data",
    [
        b"\x80\x60\x00",  # shorter than a header
        b"\x40" + bytes(15),  # version 1
        b"\x82\x60" + bytes(14),  # two CSRCs announced, one there
        b"\x90\x60" + bytes(10) + b"\xbe\xde\x00\x02" + bytes(4),  # extension cut short
        b"\x90\x60" + bytes(10) + b"\xbe\xde\x00\x01\x23\x01\x02\x03",  # value cut
        b"\xa0\x60" + bytes(10) + b"\x00\x00\x09",  # padding longer than the packet
    ],
)
def test_malformed_incoming_packets_are_refused_as_by_aiortc(data: bytes) -> None:
    reader = RtpReader()
    reader.configure(extensions({ABS_SEND_TIME: 2}))
    with pytest.raises(ValueError, match="RTP"):
        RtpPacket.parse(data, HeaderExtensionsMap())
    with pytest.raises(ValueError, match="RTP"):
        reader.parse(data)
