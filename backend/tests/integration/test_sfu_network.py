"""Where the SFU listens and what it announces: bind addresses, port range, advertised IP."""

from __future__ import annotations

import re
import socket

import pytest
from aiortc import RTCPeerConnection, VideoStreamTrack

from rapat.sfu.network import NetworkOptions, PortRange
from rapat.sfu.peer import SfuPeer
from rapat.sfu.published_track import PublishedTrack


async def answer_candidates(network: NetworkOptions) -> list[tuple[str, int]]:
    client = RTCPeerConnection()
    client.addTransceiver(VideoStreamTrack(), direction="sendonly")
    await client.setLocalDescription(await client.createOffer())

    async def ended(up: PublishedTrack) -> None:
        return None

    peer = SfuPeer(
        network, send_offer=lambda sdp: None, on_track=lambda up: None, on_track_ended=ended
    )
    try:
        answer = await peer.accept_offer(client.localDescription.sdp)
    finally:
        await peer.close()
        await client.close()
    found = re.findall(r"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host", answer)
    return [(host, int(port)) for host, port in found]


async def test_candidates_use_the_bind_address_and_the_port_range() -> None:
    network = NetworkOptions(("127.0.0.1",), PortRange(47000, 47009))
    candidates = await answer_candidates(network)
    assert candidates
    assert all(host == "127.0.0.1" and 47000 <= port <= 47009 for host, port in candidates)


async def test_the_advertised_address_replaces_the_bound_one() -> None:
    network = NetworkOptions(("127.0.0.1",), None, advertised_address="203.0.113.7")
    assert {host for host, _ in await answer_candidates(network)} == {"203.0.113.7"}


async def test_a_full_port_range_is_a_clear_error() -> None:
    taken = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    taken.bind(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    try:
        with pytest.raises(OSError, match="No free UDP port"):
            await answer_candidates(NetworkOptions(("127.0.0.1",), PortRange(port, port)))
    finally:
        taken.close()
