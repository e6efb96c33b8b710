"""The start-up check that the installed aiortc (and pylibsrtp) still fit the hooks.

`verify()` fails loudly, with the reason, when an upgrade moved a private name the hooks
use: the node refuses to start instead of forwarding wrongly. The hook tests run it too.
"""

from __future__ import annotations

import secrets
from importlib.metadata import version

import pylibsrtp
from aiortc import RTCPeerConnection, RTCRtpReceiver, RTCRtpSender, RTCRtpTransceiver

from rapat.sfu.hooks.internals import (
    AIORTC_VERSION,
    CONNECTION_FIELDS,
    DTLS_FIELDS,
    PEER_CONNECTION_FIELDS,
    RECEIVER_FIELDS,
    SENDER_FIELDS,
    HookError,
)
from rapat.sfu.hooks.srtp import SrtpCalls


async def verify() -> None:
    """Fail at start-up, with the reason, if the installed aiortc does not fit the hooks."""
    installed = version("aiortc")
    if installed != AIORTC_VERSION:
        raise HookError(f"The SFU is built for aiortc {AIORTC_VERSION}; {installed} is installed.")
    pc = RTCPeerConnection()
    try:
        transceiver = pc.addTransceiver("video", direction="sendrecv")
        _check_rtp_objects(transceiver)
        for name in PEER_CONNECTION_FIELDS:
            if not hasattr(pc, f"_RTCPeerConnection__{name}"):
                raise HookError(f"aiortc's RTCPeerConnection lacks __{name}.")
        _check_transports(transceiver)
    finally:
        await pc.close()
    _verify_srtp()


def _check_rtp_objects(transceiver: RTCRtpTransceiver) -> None:
    for obj, owner, fields in (
        (transceiver.receiver, RTCRtpReceiver, RECEIVER_FIELDS),
        (transceiver.sender, RTCRtpSender, SENDER_FIELDS),
    ):
        missing = [name for name in fields if not hasattr(obj, f"_{owner.__name__}__{name}")]
        if missing:
            raise HookError(f"aiortc's {owner.__name__} lacks {', '.join(missing)}.")


def _check_transports(transceiver: RTCRtpTransceiver) -> None:
    dtls = transceiver.sender.transport
    missing = [name for name in DTLS_FIELDS if not hasattr(dtls, name)]
    missing += [
        f"_rtp_router.{name}"
        for name in ("route_rtp", "route_rtcp", "mid_table", "ssrc_table")
        if not hasattr(getattr(dtls, "_rtp_router", None), name)
    ]
    if missing or not hasattr(dtls.transport, "_connection"):
        raise HookError(f"aiortc's transports lack {', '.join(missing) or '_connection'}.")
    connection = transceiver.receiver.transport.transport.iceGatherer._connection
    for name in CONNECTION_FIELDS:
        if not hasattr(connection, name):
            raise HookError(f"aioice's Connection lacks {name}.")


def _verify_srtp() -> None:
    """SrtpCalls reaches into pylibsrtp: check it still protects as pylibsrtp does."""
    try:
        key = secrets.token_bytes(30)  # AES-128 key and salt
        outbound = pylibsrtp.Policy(key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
        inbound = pylibsrtp.Policy(key=key, ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND)
        packet = bytes([0x80, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]) + b"payload"
        protected = SrtpCalls(pylibsrtp.Session(outbound)).protect(packet)
        if pylibsrtp.Session(inbound).unprotect(protected) != packet:
            raise HookError("pylibsrtp's buffer no longer holds the protected packet.")
    except (AttributeError, TypeError) as exc:
        raise HookError(f"pylibsrtp's Session no longer fits SrtpCalls: {exc!r}") from exc
