"""aiortc's private names, as the hooks read and write them.

The pinned version, the error raised when aiortc no longer fits, the name-mangled
attributes of each class the hooks use (the lists `self_check.verify` looks for), and the
accessors that read and write them.
"""

from __future__ import annotations

from typing import Any

from aiortc import RTCPeerConnection, RTCRtpTransceiver
from aiortc.rtcrtpparameters import RTCRtpCodecParameters

AIORTC_VERSION = "1.16.0"

# The private attributes used, by class: RTCRtpReceiver's and RTCRtpSender's are mangled
# (`_RTCRtpReceiver__codecs`), read with `get_private`; the transports' are given in full.
RECEIVER_FIELDS = (
    "codecs",
    "rtx_ssrc",
    "started",
    "transport",
    "remote_streams",
    "nack_generator",
    "rtcp_task",
    "remote_bitrate_estimator",
    "rtcp_ssrc",
    "decoder_thread",
    "rtcp_started",
    "rtcp_exited",
    "lsr",
    "lsr_time",
    "stats",
    "kind",
)
SENDER_FIELDS = (
    "rtp_started",
    "rtp_exited",
    "rtcp_started",
    "rtcp_exited",
    "rtp_header_extensions_map",
    "octet_count",
    "packet_count",
    "stats",
    "started",
)

DTLS_FIELDS = (
    "_state",
    "_rx_srtp",
    "_tx_srtp",
    "_rtp_router",
    "_rtp_header_extensions_map",
    "_RTCDtlsTransport__rx_bytes",
    "_RTCDtlsTransport__rx_packets",
    "_RTCDtlsTransport__tx_bytes",
    "_RTCDtlsTransport__tx_packets",
)

PEER_CONNECTION_FIELDS = ("iceTransports", "isClosed")
# aioice's Connection, under every ICE transport
CONNECTION_FIELDS = ("_local_candidates_start", "_nominated", "data_received", "_protocols")


class HookError(RuntimeError):
    """aiortc no longer looks the way these hooks expect."""


def get_private(obj: object, owner: type, name: str) -> Any:
    """`obj`'s private attribute `__name` of class `owner` (by its mangled name)."""
    return getattr(obj, f"_{owner.__name__}__{name}")


def set_private(obj: object, owner: type, name: str, value: object) -> None:
    setattr(obj, f"_{owner.__name__}__{name}", value)


def is_closed(pc: RTCPeerConnection) -> bool:
    """Closed, or closing: aiortc closes a connection itself when its DTLS transport closes
    (the client went away), and a description applied meanwhile can set its signaling
    state back to "stable", so that state alone does not tell."""
    return bool(get_private(pc, RTCPeerConnection, "isClosed")) or pc.signalingState == "closed"


def negotiated_codec(transceiver: RTCRtpTransceiver) -> RTCRtpCodecParameters:
    """The codec a negotiated transceiver sends or receives with (the first of the
    negotiated ones, which aiortc keeps privately)."""
    codec: RTCRtpCodecParameters = transceiver._codecs[0]
    return codec
