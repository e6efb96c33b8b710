"""Every reach into aiortc's (and aioice's, pylibsrtp's) internals, in this package only.

Rule: no module outside `rapat.sfu.hooks` touches a private name of aiortc, aioice or
pylibsrtp; what the rest of the SFU needs of them is what this package exports.

aiortc decodes every track it receives and encodes every track it sends. The SFU forwards
RTP untouched, so it hooks in below both:

- `forwarding_receiver`: `adopt_receiver` turns a receiver into a `ForwardingReceiver` that
  hands each packet to a sink instead of a decoder, and the publisher's sender reports to
  a report sink.
- `forwarding_sender`: `adopt_sender` turns a sender into a `ForwardingSender` that sends
  the packets it is given and reports RTCP feedback to an `RtcpListener`.
- `receive_path`: SRTP and SRTCP unprotected, parsed and routed where the datagram arrives.
- `rtp_link`: SRTP and SRTCP protected and sent in one call (`send_srtp`, `RtpLink`).
- `srtp`: pylibsrtp's session called without its per-call Python work (`SrtpCalls`).
- `rtcp_reports`: every stream's RTCP report on one timer per transport.
- `renegotiation`: `create_offer` keeps negotiated payload types and extension ids.
- `host_candidates`: `bind_host_candidates` gathers ICE on configured addresses and ports.
- `internals`: the pinned aiortc version, `HookError`, the private names used, accessors
  (`is_closed`, `negotiated_codec`).
- `self_check`: `verify()` fails loudly at start-up when aiortc no longer fits.

Import ladder (downward only): internals → srtp → rtp_link → rtcp_reports → receive_path →
forwarding_receiver / forwarding_sender; renegotiation, host_candidates and self_check
beside them. aiortc is pinned (see pyproject); `verify()` checks at start-up that every
private name used here still exists, and the hook tests fail loudly when an upgrade moves
one.
"""

from rapat.sfu.hooks.forwarding_receiver import (
    ForwardingReceiver,
    PacketSink,
    ReportSink,
    adopt_receiver,
)
from rapat.sfu.hooks.forwarding_sender import (
    ForwardingSender,
    RtcpListener,
    adopt_sender,
    detach_sender,
)
from rapat.sfu.hooks.host_candidates import bind_host_candidates
from rapat.sfu.hooks.internals import AIORTC_VERSION, HookError, is_closed, negotiated_codec
from rapat.sfu.hooks.renegotiation import create_offer
from rapat.sfu.hooks.self_check import verify

__all__ = [
    "AIORTC_VERSION",
    "ForwardingReceiver",
    "ForwardingSender",
    "HookError",
    "PacketSink",
    "ReportSink",
    "RtcpListener",
    "adopt_receiver",
    "adopt_sender",
    "bind_host_candidates",
    "create_offer",
    "detach_sender",
    "is_closed",
    "negotiated_codec",
    "verify",
]
