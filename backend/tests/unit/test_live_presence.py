"""Presence from open user channels, over the in-process bus with a hand-driven clock: the
first channel says online, the last one offline, a dead node's channels expire, and a
change made elsewhere (a meeting) is told once."""

from __future__ import annotations

import uuid
from contextlib import asynccontextmanager
from typing import Any

from rapat.bus.memory_kv import MemoryKeyValue
from rapat.bus.memory_presence import MemoryPresence
from rapat.domain.presence import IN_MEETING
from rapat.services.live_presence import LivePresence

ANA = uuid.uuid4()
BEN = uuid.uuid4()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Events:
    def __init__(self) -> None:
        self.sent: list[tuple[uuid.UUID, str, dict[str, Any]]] = []

    async def publish(self, user_id: uuid.UUID, event: str, data: dict[str, Any]) -> None:
        self.sent.append((user_id, event, data))


class Session:
    async def scalars(self, _: object) -> Any:
        class Rows:
            def all(self) -> list[uuid.UUID]:
                return [BEN]  # Ben has Ana as a contact

        return Rows()


@asynccontextmanager
async def sessions() -> Any:
    yield Session()


def _live(clock: Clock, events: Events) -> tuple[LivePresence, MemoryPresence]:
    presence = MemoryPresence(clock)
    live = LivePresence(presence, MemoryKeyValue(clock), sessions, events, ttl=30)  # type: ignore[arg-type]
    return live, presence


def told(events: Events) -> list[str]:
    return [data["presence"] for user, kind, data in events.sent if user == BEN]


async def test_first_and_last_channel_and_a_dead_node() -> None:
    clock, events = Clock(), Events()
    live, _ = _live(clock, events)
    await live.opened(ANA, "tab-1")
    await live.opened(ANA, "tab-2")
    assert told(events) == ["online"]
    await live.closed(ANA, "tab-1")
    assert told(events) == ["online"]  # a tab is still open
    assert await live.state(ANA) == "online"
    # The node serving tab-2 dies: nothing refreshes it, and it lapses after the TTL.
    clock.now += 31
    assert await live.state(ANA) == "offline"
    await live.closed(ANA, "tab-2")
    assert told(events) == ["online", "offline"]


async def test_a_refresh_tells_a_meeting_once() -> None:
    clock, events = Clock(), Events()
    live, presence = _live(clock, events)
    await live.opened(ANA, "tab")
    await live.refresh(ANA, "tab")
    assert told(events) == ["online"]  # nothing new
    await presence.touch(IN_MEETING, str(ANA), 30)
    await live.refresh(ANA, "tab")
    await live.refresh(ANA, "tab")
    assert told(events) == ["online", "in_meeting"]
    await presence.remove(IN_MEETING, str(ANA))
    clock.now += 10
    await live.refresh(ANA, "tab")
    assert told(events) == ["online", "in_meeting", "online"]
