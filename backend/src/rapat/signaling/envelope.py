"""What travels on a room's bus channel: a server event, optionally for one person only,
and control notices between the connections of one person."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class BusMessage:
    event: dict[str, Any]
    to: str | None = None  # a user id: only that person's connections take it
    # Set on `replaced` notices: the connection that now speaks for the person.
    connection: str | None = None

    def encode(self) -> bytes:
        return json.dumps(
            {"event": self.event, "to": self.to, "connection": self.connection},
            separators=(",", ":"),
        ).encode()

    @classmethod
    def decode(cls, raw: bytes) -> BusMessage:
        document = json.loads(raw)
        return cls(document["event"], document.get("to"), document.get("connection"))
