"""Online while a user's live channel is open: each open channel (tab) is a member of the
user's socket group; the first one marks the user online, the last one to close takes
them offline, and the people who have the user as a contact are told each time. A node
that dies stops refreshing, so its channels (and the user's online mark) expire."""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.presence import IN_MEETING, ONLINE, PresenceState, presence_of
from rapat.observability.logging import get_logger
from rapat.services.user_events import PRESENCE, UserEvents
from rapat.storage.repositories import notifications as notification_rows

_log = get_logger("rapat.presence")


class StateMemory(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None: ...


class PresenceGroups(Protocol):
    async def touch(self, group: str, member: str, ttl: float) -> None: ...

    async def remove(self, group: str, member: str) -> None: ...

    async def members(self, group: str) -> set[str]: ...

    async def is_member(self, group: str, member: str) -> bool: ...


def sockets_group(user_id: uuid.UUID) -> str:
    return f"user-channels:{user_id}"


def _told_key(user_id: uuid.UUID) -> str:
    return f"presence-told:{user_id}"


class LivePresence:
    def __init__(
        self,
        presence: PresenceGroups,
        told: StateMemory,
        sessions: async_sessionmaker[AsyncSession],
        events: UserEvents,
        ttl: float,
    ) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self._presence = presence
        # The state contacts were last told, so a refresh can tell them of a change made
        # elsewhere (joining or leaving a meeting) without telling them twice.
        self._told = told
        self._sessions = sessions
        self._events = events
        self.ttl = ttl

    async def opened(self, user_id: uuid.UUID, channel_id: str) -> None:
        group = sockets_group(user_id)
        first = not await self._presence.members(group)
        await self._presence.touch(group, channel_id, self.ttl)
        await self._presence.touch(ONLINE, str(user_id), self.ttl)
        if first:
            await self.broadcast(user_id)

    async def refresh(self, user_id: uuid.UUID, channel_id: str) -> None:
        """Keep the channel and the user alive; tell contacts if the state changed since
        they were last told (e.g. the user joined a meeting: `in_meeting`)."""
        await self._presence.touch(sockets_group(user_id), channel_id, self.ttl)
        await self._presence.touch(ONLINE, str(user_id), self.ttl)
        state = await self.state(user_id)
        if await self._told.get(_told_key(user_id)) != state.encode():
            await self.broadcast(user_id, state)

    async def closed(self, user_id: uuid.UUID, channel_id: str) -> None:
        group = sockets_group(user_id)
        await self._presence.remove(group, channel_id)
        if await self._presence.members(group):
            return  # another tab is still open
        await self._presence.remove(ONLINE, str(user_id))
        await self.broadcast(user_id)

    async def state(self, user_id: uuid.UUID) -> PresenceState:
        member = str(user_id)
        online = {member} if await self._presence.is_member(ONLINE, member) else set()
        meeting = {member} if await self._presence.is_member(IN_MEETING, member) else set()
        return presence_of(member, online, meeting)

    async def broadcast(self, user_id: uuid.UUID, state: PresenceState | None = None) -> int:
        """Tell everyone who has ``user_id`` as a contact where they are now."""
        state = state or await self.state(user_id)
        await self._told.set(_told_key(user_id), state.encode(), ttl=self.ttl * 10)
        async with self._sessions() as session:
            watchers = await notification_rows.contact_owners(session, user_id)
        data = {"user_id": str(user_id), "presence": state}
        for watcher in watchers:
            try:
                await self._events.publish(watcher, PRESENCE, data)
            except Exception:
                _log.exception("presence_not_published", user_id=str(user_id))
        return len(watchers)
