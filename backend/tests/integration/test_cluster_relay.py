"""One room across three `rapat serve` nodes (decision 70): each node counts as full with
one participant, so placement sends the room's second and third participants to the other
nodes, which relay the room's media between them. aiortc participants on each node receive
and decode everyone's audio and video; a host on the third node mutes the first node's
publisher and the sound stops everywhere; a node killed with -9 drops out and the other two
go on with each other's media."""

from __future__ import annotations

import asyncio
import gc
import signal
import subprocess
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as redis

from tests.integration.media_clients import MediaClient, NetworkSocket, eventually
from tests.integration.test_signaling_nodes import (
    _free_port,
    _ready,
    _request,
    _sign_up,
    node_env,
    serving,
)
from tests.waiting import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


Nodes = tuple[list[str], list[subprocess.Popen[bytes]]]


@pytest.fixture
def three_nodes(
    postgres_url: str, redis_prefix: str, redis_client: redis.Redis, tmp_path: Path
) -> Iterator[Nodes]:
    ports = [_free_port() for _ in range(3)]
    env = node_env(postgres_url, redis_prefix, tmp_path) | {
        "RAPAT_NODE_TTL": "1.5",
        "RAPAT_NODE_CAPACITY": "1",
        "RAPAT_NODE_SPILL_LOAD": "0.8",
        "RAPAT_SFU_BIND_ADDRESSES": "127.0.0.1",
    }
    per_node = [{"RAPAT_NODE_URL": f"ws://127.0.0.1:{port}/ws"} for port in ports]
    with serving(env, ports, per_node) as processes:
        yield [f"127.0.0.1:{port}" for port in ports], processes


async def _placed(node: str, room_id: str, who: dict[str, Any], taken: set[str]) -> str:
    """The signaling URL the API gives `who`, once it names a node not in `taken` (a
    node's record shows its new participant within a renewal)."""

    async def elsewhere() -> dict[str, Any] | None:
        answer = await _request(node, f"/api/v1/rooms/{room_id}/signaling", None, who["token"])
        return answer if answer["node"] not in taken else None

    answer = await wait_until(elsewhere, 10, "a node the room does not use yet", interval=0.1)
    taken.add(answer["node"])
    return str(answer["url"])


@pytest.fixture
async def spread(
    three_nodes: Nodes,
) -> AsyncIterator[tuple[list[MediaClient], list[Any], list[str]]]:
    """A participant, a second participant and the host, each on their own node (in the
    order of `three_nodes`: each is the least loaded when its turn comes)."""
    nodes, _ = three_nodes
    entry = nodes[0]
    for node in nodes:
        await _ready(node)
    people = [await _sign_up(entry, name) for name in ("Ana", "Budi", "Host")]
    for who in people:
        who["token"] = who["access_token"]
    host = people[2]
    room = await _request(entry, "/api/v1/rooms", {"name": "Big"}, host["token"])
    clients: list[MediaClient] = []
    urls: list[str] = []
    taken: set[str] = set()
    try:
        for who in people:
            await _request(entry, f"/api/v1/rooms/{room['id']}/join", {}, who["token"])
            url = await _placed(entry, room["id"], who, taken)
            urls.append(url)
            query = f"?roomId={room['id']}&userId={who['user']['id']}&token={who['token']}"
            client = MediaClient(await asyncio.to_thread(NetworkSocket, url + query))
            client.start()
            client.send("join_room", {"media": True})
            await client.wait_event("room_state")
            clients.append(client)
        assert len(taken) == 3, taken
        yield clients, people, urls
    finally:
        for client in clients:
            await client.close()
        with warnings.catch_warnings():  # see sfu_fixtures.meeting
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


async def _received_packets(client: MediaClient, track_id: str) -> int:
    for transceiver in client.pc.getTransceivers():
        track = transceiver.receiver.track
        if track is not None and track.id == track_id:
            report = await transceiver.receiver.getStats()
            return sum(s.packetsReceived for s in report.values() if s.type == "inbound-rtp")
    return 0


async def _publish_one_by_one(clients: list[MediaClient], ids: list[str]) -> None:
    for publisher, client in enumerate(clients):
        client.add_tracks()
        await client.publish()
        # One at a time: a publish crossing the SFU's offer of a relayed track is a glare
        # these aiortc clients cannot roll back (a browser can).
        tracks = {f"{source}:{ids[publisher]}" for source in ("camera", "microphone")}
        for me, other in enumerate(clients):
            if me != publisher:
                await eventually(
                    lambda o=other, t=tracks: t <= set(o.tracks), 15, f"{me}: {tracks}"
                )


async def test_everyone_on_three_nodes_receives_everyone(
    spread: tuple[list[MediaClient], list[Any], list[str]],
) -> None:
    clients, people, _ = spread
    ids = [who["user"]["id"] for who in people]
    await _publish_one_by_one(clients, ids)
    for me, client in enumerate(clients):
        others = [uid for i, uid in enumerate(ids) if i != me]
        wanted = {f"{source}:{uid}" for uid in others for source in ("camera", "microphone")}
        await eventually(lambda c=client, w=wanted: w <= set(c.tracks), 15, f"{me}'s tracks")
        for uid in others:  # decoded: keyframes were asked for and came across the relay
            frame = await asyncio.wait_for(client.tracks[f"camera:{uid}"].recv(), 10)
            assert (frame.width, frame.height) == (640, 480)
            sound = await asyncio.wait_for(client.tracks[f"microphone:{uid}"].recv(), 10)
            assert sound.sample_rate == 48000

    # The host, on the third node, mutes Ana, on the first: nobody hears her any more.
    ana_mic = f"microphone:{ids[0]}"
    clients[2].send("mute_participant", {"userId": ids[0]}, id="mute")
    listeners = clients[1:]

    async def silent() -> bool:
        before = [await _received_packets(c, ana_mic) for c in listeners]
        await asyncio.sleep(0.5)
        return [await _received_packets(c, ana_mic) for c in listeners] == before

    await wait_until(silent, 10, "Ana's sound to stop on both other nodes", interval=0)
    # (her camera still plays: only the microphone was muted)
    ana_camera = f"camera:{ids[0]}"
    seen = await _received_packets(clients[1], ana_camera)

    async def camera_goes_on() -> bool:
        return await _received_packets(clients[1], ana_camera) > seen + 10

    await wait_until(camera_goes_on, 5, "Ana's camera to go on", interval=0.1)


async def test_a_killed_node_drops_out_and_the_other_two_go_on(
    three_nodes: Nodes, spread: tuple[list[MediaClient], list[Any], list[str]]
) -> None:
    clients, people, urls = spread
    ids = [who["user"]["id"] for who in people]
    await _publish_one_by_one(clients, ids)
    nodes, processes = three_nodes
    budi_node = urls[1].split("/")[2]  # ws://127.0.0.1:<port>/ws
    processes[nodes.index(budi_node)].send_signal(signal.SIGKILL)
    # Past the dead node's listing (1.5 s here), the links to it are gone and the two
    # others still get each other's camera over theirs.
    lapsed = time.monotonic() + 2 * 1.5
    host_camera, ana_camera = f"camera:{ids[2]}", f"camera:{ids[0]}"

    async def counts_after_lapse() -> tuple[int, int] | None:
        if time.monotonic() < lapsed:
            return None
        return (
            await _received_packets(clients[0], host_camera),
            await _received_packets(clients[2], ana_camera),
        )

    before = await wait_until(counts_after_lapse, 10, "the dead node's listing to lapse")

    async def both_flowing() -> bool:
        now = await counts_after_lapse()
        return now is not None and all(n > b + 10 for n, b in zip(now, before, strict=True))

    await wait_until(both_flowing, 5, "Ana's and the host's cameras to flow", interval=0.1)
