"""Announcements of ended sessions: what goes on the bus and what a listener hears."""

from __future__ import annotations

import asyncio
import uuid

from rapat.bus.memory_pubsub import MemoryPubSub
from rapat.services.session_endings import SessionEndings, decode


async def test_every_listener_hears_the_ended_sessions() -> None:
    pubsub = MemoryPubSub()
    endings = SessionEndings(pubsub)
    heard: list[frozenset[uuid.UUID]] = []
    listener = asyncio.create_task(endings.listen(heard.append))
    await asyncio.sleep(0.01)  # subscribed
    ended = [uuid.uuid4(), uuid.uuid4()]
    await endings.announce(ended)
    await endings.announce([])  # nothing ended: nothing sent
    await asyncio.sleep(0.01)
    listener.cancel()
    await asyncio.gather(listener, return_exceptions=True)
    assert heard == [frozenset(ended)]
    await pubsub.close()


def test_a_message_that_is_not_an_announcement_ends_nothing() -> None:
    assert decode(b"not json") == frozenset()
    assert decode(b'["not-a-uuid"]') == frozenset()
    assert decode(b"{}") == frozenset()
    one = uuid.uuid4()
    assert decode(f'["{one}"]'.encode()) == frozenset({one})
