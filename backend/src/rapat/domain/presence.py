"""Who is reachable: the presence groups every feature shares, and how they combine."""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

# Presence group names. Requests keep a signed-in user in ONLINE; signaling keeps a user
# who is in a room in IN_MEETING. Both expire by themselves when nobody refreshes them.
ONLINE = "online"
IN_MEETING = "in_meeting"

PresenceState = Literal["online", "offline", "in_meeting"]


def presence_of(member: str, online: Collection[str], in_meeting: Collection[str]) -> PresenceState:
    """A meeting wins over merely being online: it is the more useful thing to show."""
    if member in in_meeting:
        return "in_meeting"
    if member in online:
        return "online"
    return "offline"
