"""Presence of users, read and refreshed through the bus."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from rapat.bus.errors import BusError
from rapat.domain.presence import IN_MEETING, ONLINE, PresenceState, presence_of
from rapat.observability.logging import get_logger
from rapat.services.ports import Presence

_log = get_logger("rapat.presence")

# A user counts as online this long after their last authenticated request; the web app
# talks to the API at least every few minutes while it is open.
ONLINE_TTL_SECONDS = 300.0


async def mark_online(presence: Presence, user_id: uuid.UUID) -> None:
    """Call on every authenticated request: keeps the caller in the online group. Best
    effort: with the bus (Redis) down the request goes on, and the person may show as
    offline until it is back."""
    try:
        await presence.touch(ONLINE, str(user_id), ONLINE_TTL_SECONDS)
    except BusError:
        _log.warning("presence_unavailable")


async def presence_states(
    presence: Presence, user_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, PresenceState]:
    wanted = list(user_ids)
    if not wanted:
        return {}
    online = await presence.members(ONLINE)
    in_meeting = await presence.members(IN_MEETING)
    return {user_id: presence_of(str(user_id), online, in_meeting) for user_id in wanted}
