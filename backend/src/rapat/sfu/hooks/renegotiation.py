"""Renegotiation offers that keep what was negotiated.

aiortc would re-offer its default payload types and header-extension ids on every m-line;
a browser then starts sending with those, and the receiving side no longer understands its
own stream. `create_offer` re-offers negotiated m-lines exactly as negotiated and numbers
new ones as the session already does (reading the transceivers' private `_codecs` and
`_headerExtensions`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from aiortc import RTCPeerConnection, RTCSessionDescription, sdp
from aiortc.codecs import is_rtx
from aiortc.rtcrtpparameters import RTCRtpCodecParameters, RTCRtpHeaderExtensionParameters


def _codec_key(codec: RTCRtpCodecParameters) -> tuple[str, int, str]:
    params = ";".join(f"{k}={v}" for k, v in sorted(codec.parameters.items()) if k != "apt")
    return codec.mimeType.lower(), codec.clockRate, params


def _negotiated(pc: RTCPeerConnection) -> dict[str, tuple[list[Any], list[Any]]]:
    """Codecs and header extensions of every m-line that has been negotiated, by mid."""
    saved: dict[str, tuple[list[Any], list[Any]]] = {}
    for transceiver in pc.getTransceivers():
        if transceiver.mid is not None and transceiver.currentDirection is not None:
            saved[transceiver.mid] = (
                copy.deepcopy(transceiver._codecs),
                copy.deepcopy(transceiver._headerExtensions),
            )
    return saved


def _pt(codec: RTCRtpCodecParameters) -> int:
    # Every codec taken from an SDP has a payload type.
    return codec.payloadType if codec.payloadType is not None else -1


def _free_pt(used: set[int]) -> int:
    pt = next(pt for pt in range(96, 128) if pt not in used)
    used.add(pt)
    return pt


def _renumber_codecs(
    codecs: list[RTCRtpCodecParameters], payload_types: dict[tuple[str, int, str], int]
) -> dict[int, int]:
    used = set(payload_types.values())
    renumber: dict[int, int] = {}
    for codec in (c for c in codecs if not is_rtx(c)):
        known = payload_types.get(_codec_key(codec))
        if known is not None:
            renumber[_pt(codec)] = known
        elif _pt(codec) in used:
            renumber[_pt(codec)] = _free_pt(used)
    for codec in (c for c in codecs if is_rtx(c)):
        apt = codec.parameters.get("apt")
        base = renumber.get(apt, apt) if isinstance(apt, int) else apt
        codec.parameters["apt"] = base
        known = payload_types.get((codec.mimeType.lower(), codec.clockRate, f"apt={base}"))
        if known is not None:
            renumber[_pt(codec)] = known
        elif _pt(codec) in used:
            renumber[_pt(codec)] = _free_pt(used)
    return renumber


def _align_new_media(
    media: sdp.MediaDescription,
    payload_types: dict[tuple[str, int, str], int],
    extension_ids: dict[str, int],
) -> None:
    """Give a new m-line the payload types and extension ids the session already uses, so
    one BUNDLE never maps a number to two meanings."""
    renumber = _renumber_codecs(media.rtp.codecs, payload_types)
    for codec in media.rtp.codecs:
        codec.payloadType = renumber.get(_pt(codec), codec.payloadType)
    media.fmt = [codec.payloadType for codec in media.rtp.codecs]
    used_ids = set(extension_ids.values())
    for extension in media.rtp.headerExtensions:
        if extension.uri in extension_ids:
            extension.id = extension_ids[extension.uri]
        elif extension.id in used_ids:
            extension.id = next(i for i in range(1, 15) if i not in used_ids)
        used_ids.add(extension.id)
        extension_ids[extension.uri] = extension.id


def _session_maps(
    saved: Iterable[tuple[list[RTCRtpCodecParameters], list[RTCRtpHeaderExtensionParameters]]],
) -> tuple[dict[tuple[str, int, str], int], dict[str, int]]:
    payload_types: dict[tuple[str, int, str], int] = {}
    extension_ids: dict[str, int] = {}
    for codecs, extensions in saved:
        for codec in codecs:
            if is_rtx(codec):
                apt = codec.parameters.get("apt")
                key = (codec.mimeType.lower(), codec.clockRate, f"apt={apt}")
            else:
                key = _codec_key(codec)
            payload_types.setdefault(key, _pt(codec))
        for extension in extensions:
            extension_ids.setdefault(extension.uri, extension.id)
    return payload_types, extension_ids


async def create_offer(pc: RTCPeerConnection) -> RTCSessionDescription:
    """An offer that re-offers negotiated m-lines exactly as negotiated."""
    saved = _negotiated(pc)
    offer = await pc.createOffer()
    for transceiver in pc.getTransceivers():
        if transceiver.mid in saved:
            codecs, extensions = copy.deepcopy(saved[transceiver.mid])
            transceiver._codecs, transceiver._headerExtensions = codecs, extensions
    if not saved:
        return offer
    description = sdp.SessionDescription.parse(offer.sdp)
    payload_types, extension_ids = _session_maps(saved.values())
    for media in description.media:
        if media.kind not in ("audio", "video"):
            continue
        known = saved.get(media.rtp.muxId or "")
        if known is not None:
            media.rtp.codecs = copy.deepcopy(known[0])
            media.rtp.headerExtensions = copy.deepcopy(known[1])
            media.fmt = [codec.payloadType for codec in media.rtp.codecs]
        else:
            _align_new_media(media, payload_types, extension_ids)
    return RTCSessionDescription(sdp=str(description), type="offer")
