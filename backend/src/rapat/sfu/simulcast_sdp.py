"""Simulcast in the SDP, which aiortc ignores: what a client's offer asks, and the lines
the SFU adds to its own descriptions so the client keeps sending every layer.

A client that sends simulcast (RFC 8853) lists its layers in `a=simulcast:send` and
describes each in an `a=rid:<rid> send` line; the layers' packets carry their rid in the
rtp-stream-id header extension (and an RTX packet the rid it repairs). aiortc parses none
of it and negotiates neither extension. Without `a=simulcast:recv` and the rids in the
answer a browser sends one layer only, so every description the SFU sends (answer or
re-offer) gets, in each simulcast section, the two extensions (at the client's ids) and the
client's rids as received. The layers are ordered as the client lists them: low to high
(decision 68).
"""

from __future__ import annotations

from dataclasses import dataclass

from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters

from rapat.sfu.rtp_header import REPAIRED_RID_URI, RID_URI

MAX_LAYERS = 4


@dataclass(frozen=True, slots=True)
class SimulcastSection:
    """One media section's simulcast, as the client offered it."""

    rids: tuple[str, ...]  # low to high
    rid_id: int
    repaired_rid_id: int = 0

    @property
    def extensions(self) -> list[RTCRtpHeaderExtensionParameters]:
        found = [RTCRtpHeaderExtensionParameters(id=self.rid_id, uri=RID_URI)]
        if self.repaired_rid_id:
            found.append(
                RTCRtpHeaderExtensionParameters(id=self.repaired_rid_id, uri=REPAIRED_RID_URI)
            )
        return found

    def lines(self) -> list[str]:
        lines = [f"a=extmap:{self.rid_id} {RID_URI}"]
        if self.repaired_rid_id:
            lines.append(f"a=extmap:{self.repaired_rid_id} {REPAIRED_RID_URI}")
        lines += [f"a=rid:{rid} recv" for rid in self.rids]
        lines.append("a=simulcast:recv " + ";".join(self.rids))
        return lines


def _sections(sdp: str) -> list[list[str]]:
    """The session part, then each media section, as lists of lines."""
    parts: list[list[str]] = [[]]
    for line in sdp.splitlines():
        if line.startswith("m="):
            parts.append([])
        if line:
            parts[-1].append(line)
    return parts


def _mid(section: list[str]) -> str | None:
    return next((line[6:] for line in section if line.startswith("a=mid:")), None)


def read_simulcast(sdp: str) -> dict[str, SimulcastSection]:
    """The simulcast video sections of a client's offer, by mid. A section counts only with
    its rids listed for sending and the rtp-stream-id extension; paused (`~`) and
    alternative (`,`) layers are not used: only the first of each alternative set."""
    found: dict[str, SimulcastSection] = {}
    for section in _sections(sdp)[1:]:
        mid = _mid(section)
        if mid is None or not section[0].startswith("m=video"):
            continue
        rids: tuple[str, ...] = ()
        ids = {RID_URI: 0, REPAIRED_RID_URI: 0}
        for line in section:
            if line.startswith("a=simulcast:send "):
                listed = line.removeprefix("a=simulcast:send ").split(" ")[0]
                rids = tuple(
                    alternative.split(",")[0] for alternative in listed.split(";") if alternative
                )
            elif line.startswith("a=extmap:"):
                number, _, rest = line.removeprefix("a=extmap:").partition(" ")
                uri = rest.split(" ")[0]
                if uri in ids and number.split("/")[0].isdigit():
                    ids[uri] = int(number.split("/")[0])
        rids = tuple(rid for rid in rids if not rid.startswith("~"))[:MAX_LAYERS]
        if len(rids) > 1 and ids[RID_URI]:
            found[mid] = SimulcastSection(rids, ids[RID_URI], ids[REPAIRED_RID_URI])
    return found


def add_simulcast(sdp: str, sections: dict[str, SimulcastSection]) -> str:
    """`sdp` (the SFU's answer or offer) with each simulcast section's lines added (once)."""
    if not sections:
        return sdp
    out: list[str] = []
    for section in _sections(sdp):
        simulcast = sections.get(_mid(section) or "")
        out += section
        if simulcast is not None and not any(line.startswith("a=simulcast:") for line in section):
            out += simulcast.lines()
    return "\r\n".join(out) + "\r\n"
