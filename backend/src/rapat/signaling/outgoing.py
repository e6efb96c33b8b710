"""What a connection sends and the little of it that its actions see: the seam between
`connection.py` (the socket's loops) and `actions.py` (what each message does), so that
neither imports the other both ways."""

from __future__ import annotations

from typing import Any, Protocol

from rapat.signaling.chat import PendingReply

# Encoded event text (a broadcast, encoded once for all), an event to encode, or a chat
# reply that waits for its line to be stored.
Outgoing = str | dict[str, Any] | PendingReply


class ConnectionLink(Protocol):
    @property
    def id(self) -> str: ...

    def send(self, event: Outgoing) -> bool: ...
