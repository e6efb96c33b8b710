"""Two people connect directly; the SFU takes over when a third joins."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.integration.media_clients import eventually
from tests.integration.sfu_fixtures import conference_of, meeting

__all__ = ["meeting"]


async def test_two_connect_directly_and_move_to_the_sfu_when_a_third_joins(
    meeting: Any,
) -> None:
    client, _, connect, people = meeting
    alice = connect(people[0])
    waiting = await alice.wait_event("media_mode")
    assert waiting["data"] == {"mode": "p2p", "peer": None}
    bob = connect()
    alice_id, bob_id = people[0].user["id"], people[1].user["id"]
    to_alice = await alice.wait_event("media_mode")
    to_bob = await bob.wait_event("media_mode")
    assert to_alice["data"] == {"mode": "p2p", "peer": bob_id, "polite": False}
    assert to_bob["data"] == {"mode": "p2p", "peer": alice_id, "polite": True}

    await alice.call(bob_id)  # the impolite side offers
    await eventually(lambda: len(bob.direct_tracks) == 2 and len(alice.direct_tracks) == 2)
    video = next(t for t in bob.direct_tracks if t.kind == "video")
    frame = await asyncio.wait_for(video.recv(), 10)
    assert frame.width == 640
    room = next(iter(conference_of(client)._rooms.values()))
    assert room.publications() == []  # nothing went through the SFU

    carol = connect()
    for who in (alice, bob, carol):
        assert (await who.wait_event("media_mode"))["data"] == {"mode": "sfu"}
    # One after the other, each once the SFU's offers to the others are answered (aiortc
    # clients cannot roll back a crossing offer as browsers do).
    await alice.direct.close()  # type: ignore[union-attr]
    await bob.direct.close()  # type: ignore[union-attr]
    alice.add_tracks()
    await alice.publish()
    await eventually(lambda: len(bob.tracks) == 2 and len(carol.tracks) == 2)
    bob.add_tracks()
    await bob.publish()
    await eventually(lambda: len(carol.tracks) == 4, what="carol receives both")
    await eventually(lambda: len(alice.tracks) == 2 and len(bob.tracks) == 2)
    frame = await asyncio.wait_for(carol.tracks[f"camera:{alice_id}"].recv(), 10)
    assert frame.width == 640

    carol.send("leave_room", id="bye")
    await carol.close()
    await alice.wait_event("participant_left")
    dave = connect()  # down to two again: no going back to peer-to-peer
    assert (await dave.wait_event("media_mode"))["data"] == {"mode": "sfu"}


async def test_a_room_set_to_sfu_never_suggests_peer_to_peer(meeting: Any) -> None:
    client, room, connect, people = meeting
    response = client.put(
        f"/api/v1/rooms/{room['id']}/settings",
        json={"media_mode": "sfu"},
        headers=people[0].headers,
    )
    assert response.is_success, response.text
    alice = connect(people[0])
    bob = connect()
    for who in (alice, bob):
        assert (await who.wait_event("media_mode"))["data"] == {"mode": "sfu"}
