"""The relays' control plane (decision 70) between two "nodes" on one in-process bus, with
the fake peers of the media room tests: who links with whom, offers and answers across,
a relinked sender replacing its old link, farewells, and an offer nobody answers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from rapat.bus import Bus, memory_bus
from rapat.conference import relays as relays_module
from rapat.conference.media_room import MemberState
from rapat.conference.registry import Conference
from rapat.conference.relays import RoomRelays
from tests.unit.test_conference_media_room import FakePeer, recording_factory
from tests.waiting import wait_until

TTL = 0.6


@dataclass
class Node:
    name: str
    conference: Conference
    peers: list[FakePeer]
    relays: RoomRelays


@pytest.fixture
async def bus() -> AsyncIterator[Bus]:
    shared = memory_bus()
    yield shared
    await shared.close()


async def _node(bus: Bus, name: str) -> tuple[Node, asyncio.Task[None]]:
    peers: list[FakePeer] = []
    conference = Conference(recording_factory(peers))
    relays = RoomRelays(name, conference, bus.pubsub, bus.presence, TTL)
    return Node(name, conference, peers, relays), asyncio.create_task(relays.run())


async def test_two_nodes_of_a_room_link_offer_answer_and_say_farewell(bus: Bus) -> None:
    (a, run_a), (b, run_b) = await _node(bus, "node-a"), await _node(bus, "node-b")
    room_id = uuid.uuid4()
    try:
        await a.conference.join(room_id, uuid.uuid4(), lambda _: None, True, MemberState())
        await b.conference.join(room_id, uuid.uuid4(), lambda _: None, True, MemberState())
        # each links out to the other at its next renewal
        await wait_until(lambda: a.relays.links == 1 and b.relays.links == 1, 5, "links out")
        out_of_a = a.peers[1]  # (peers[0] is a's participant)
        out_of_a.send_offer("offer-1")  # what the SFU peer does when it has tracks to send
        await wait_until(lambda: b.relays.links == 2, 5, "b's incoming link")
        in_of_b = b.peers[-1]
        # a second offer of the same link reaches the same incoming peer
        out_of_a.send_offer("offer-2")
        await asyncio.sleep(TTL)
        assert b.peers[-1] is in_of_b
        assert b.relays.links == 2
        # the room ends on a: b hears its farewell and drops both links with it
        await a.conference.end(room_id)
        await wait_until(lambda: b.relays.links == 0, 5, "b to drop its links with a")
        assert in_of_b.closed
    finally:
        for task in (run_a, run_b):
            task.cancel()
        await asyncio.gather(run_a, run_b, return_exceptions=True)


async def test_an_offer_nobody_answers_is_given_up_and_made_again(
    bus: Bus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relays_module, "ANSWER_WAIT", 0.3)
    (a, run_a) = await _node(bus, "node-a")
    room_id = uuid.uuid4()
    await bus.presence.touch(f"media:{room_id}", "node-silent", 30)  # listed, never answers
    try:
        await a.conference.join(room_id, uuid.uuid4(), lambda _: None, True, MemberState())
        await wait_until(lambda: a.relays.links == 1, 5, "a link out")
        first = a.peers[1]
        first.send_offer("offer")
        await wait_until(lambda: first.closed, 5, "the unanswered link to close")
        # relinked at a later renewal, with a new peer
        await wait_until(lambda: len(a.peers) == 3 and a.relays.links == 1, 5, "a new link")
    finally:
        run_a.cancel()
        await asyncio.gather(run_a, return_exceptions=True)
