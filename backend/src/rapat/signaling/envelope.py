"""What travels on a room's bus channel: a server event, optionally for one person only,
and control notices between the connections of one person.

On the wire a message is a short routing header, a newline, then the event exactly as
clients receive it. The event is encoded once by the publisher; every connection on every
node reads the header and sends the event's text unchanged, without decoding it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_SEPARATOR = "\t"  # never inside a type name, a user id or a connection id
# The addressee of events for whoever may admit people from the lobby (hosts and
# moderators, as their connection knows its role now); never a user id.
LEADERS = "leaders"


def encode_event(event: dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"))


def subject_of(event: dict[str, Any]) -> str | None:
    """The person an event is about (joined, left, updated), if any."""
    data = event.get("data") or {}
    participant = data.get("participant")
    subject = participant.get("user_id") if isinstance(participant, dict) else data.get("user_id")
    return subject if isinstance(subject, str) else None


@dataclass(frozen=True, slots=True)
class BusMessage:
    event: dict[str, Any]
    to: str | None = None  # a user id (only that person's connections take it), or LEADERS
    # Set on `replaced` notices: the connection that now speaks for the person.
    connection: str | None = None

    def encode(self) -> bytes:
        header = _SEPARATOR.join(
            (self.event["type"], self.to or "", self.connection or "", subject_of(self.event) or "")
        )
        return f"{header}\n{encode_event(self.event)}".encode()

    @classmethod
    def decode(cls, raw: bytes) -> BusMessage:
        received = Received.decode(raw)
        return cls(received.event(), received.to, received.connection)


@dataclass(frozen=True, slots=True)
class Received:
    """A bus message as a connection sees it: the routing header, and the event's text."""

    type: str
    to: str | None
    connection: str | None
    about: str | None
    frame: str

    @classmethod
    def decode(cls, raw: bytes) -> Received:
        text = raw.decode()
        header, _, frame = text.partition("\n")
        kind, to, connection, about = header.split(_SEPARATOR)
        return cls(kind, to or None, connection or None, about or None, frame)

    def event(self) -> dict[str, Any]:
        """The event as a dict (parsed on demand: most connections only forward it)."""
        document: dict[str, Any] = json.loads(self.frame)
        return document
