"""WebSocket signaling: one typed union of messages, one task owning each connection's
state, fan-out through the bus. The protocol is written up in `docs/signaling.md`."""

from rapat.signaling.context import Context
from rapat.signaling.endpoint import create_endpoint
from rapat.signaling.hub import HubStats, SignalingHub

__all__ = ["Context", "HubStats", "SignalingHub", "create_endpoint"]
