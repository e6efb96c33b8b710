"""One SFU peer's negotiation rules, driven directly: glare, early candidates, bad input,
the order of answers and offers, offers that failed."""

from __future__ import annotations

import asyncio

import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
from structlog.testing import capture_logs

from rapat.sfu import peer as peer_module
from rapat.sfu.hooks import create_offer
from rapat.sfu.interfaces import NegotiationError
from rapat.sfu.network import NetworkOptions
from rapat.sfu.peer import NegotiationGlare, SfuPeer
from rapat.sfu.published_track import PublishedTrack
from tests.waiting import wait_until

LOOPBACK = NetworkOptions(("127.0.0.1",))


async def nothing(up: PublishedTrack) -> None:
    return None


async def published_track() -> tuple[SfuPeer, PublishedTrack, RTCPeerConnection]:
    """A publisher peer with one video track."""
    tracks: list[PublishedTrack] = []
    peer = SfuPeer(LOOPBACK, lambda sdp: None, tracks.append, nothing)
    client = RTCPeerConnection()
    client.addTransceiver(VideoStreamTrack(), direction="sendonly")
    await client.setLocalDescription(await client.createOffer())
    await client.setRemoteDescription(
        RTCSessionDescription(await peer.accept_offer(client.localDescription.sdp), "answer")
    )
    return peer, tracks[0], client


async def test_a_client_offer_crossing_the_servers_is_refused_then_accepted() -> None:
    publisher, up, publishing_client = await published_track()
    offers: list[str] = []
    viewer = SfuPeer(LOOPBACK, offers.append, lambda up: None, nothing)
    viewer.subscribe(up, "alice", "camera:alice")
    await wait_until(lambda: offers, 1.0, "the server's offer")
    client = RTCPeerConnection()
    client.addTransceiver(VideoStreamTrack(), direction="sendonly")
    await client.setLocalDescription(await client.createOffer())
    with pytest.raises(NegotiationGlare):
        await viewer.accept_offer(client.localDescription.sdp)
    # The polite client answers the server's offer first (a fresh connection here, as
    # aiortc cannot roll back), then its offer goes through.
    answering = RTCPeerConnection()
    await answering.setRemoteDescription(RTCSessionDescription(offers[0], "offer"))
    await answering.setLocalDescription(await answering.createAnswer())
    await viewer.accept_answer(answering.localDescription.sdp)
    again = await answering.createOffer()
    await answering.setLocalDescription(again)
    answer = await viewer.accept_offer(answering.localDescription.sdp)
    assert answer.startswith("v=0")
    for closing in (viewer, publisher):
        await closing.close()
    for pc in (client, answering, publishing_client):
        await pc.close()


async def test_early_candidates_wait_for_the_offer_and_bad_input_is_named() -> None:
    peer = SfuPeer(LOOPBACK, lambda sdp: None, lambda up: None, nothing)
    candidate = {
        "candidate": "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
    }
    await peer.add_candidate(candidate)  # before any offer: queued, no error
    await peer.add_candidate({"candidate": ""})  # end of candidates: ignored
    with pytest.raises(NegotiationError) as unreadable:
        await peer.add_candidate({"candidate": "candidate:nonsense"})
    assert unreadable.value.code == "invalid_candidate"
    with pytest.raises(NegotiationError) as bad_sdp:
        await peer.accept_offer("v=0\r\nthis is not sdp\r\n")
    assert bad_sdp.value.code == "invalid_sdp"
    with pytest.raises(NegotiationError) as stray:
        await peer.accept_answer("v=0\r\n")
    assert stray.value.code == "unexpected_answer"
    for _ in range(63):  # 64 in all with the first one
        await peer.add_candidate(candidate)
    with pytest.raises(NegotiationError, match="early candidates"):
        await peer.add_candidate(candidate)
    await peer.close()
    with pytest.raises(NegotiationError) as closed:
        await peer.accept_offer("v=0\r\n")
    assert closed.value.code == "peer_closed"


async def test_a_client_offer_while_a_subscription_waits_is_answered_then_offered() -> None:
    """A subscription was just added and the server's offer is not out yet when the client
    offers: the client's offer is answered (aiortc raised here when the new transceiver
    existed already), then the server offers the subscription."""
    publisher, up, publishing_client = await published_track()
    offers: list[str] = []
    viewer = SfuPeer(LOOPBACK, offers.append, lambda up: None, nothing)
    client = RTCPeerConnection()
    client.addTransceiver(VideoStreamTrack(), direction="sendonly")
    await client.setLocalDescription(await client.createOffer())
    viewer.subscribe(up, "alice", "camera:alice")  # its offer is made on the next turn
    answer = await viewer.accept_offer(client.localDescription.sdp)
    await client.setRemoteDescription(RTCSessionDescription(answer, "answer"))
    await wait_until(lambda: offers, 1.0, "the server's own offer")
    assert offers, "the server's own offer follows"
    assert "a=msid:alice camera:alice" in offers[0]
    for closing in (viewer, publisher):
        await closing.close()
    for pc in (client, publishing_client):
        await pc.close()


def msid_lines(sdp: str) -> list[str]:
    return [line for line in sdp.splitlines() if line.startswith("a=msid:")]


async def test_a_resubscribed_person_does_not_repeat_an_msid() -> None:
    """Someone rejoins: their old m-lines stay (inactive) and new ones carry the same
    stream and track ids; browsers refuse an SDP with a repeated msid line."""
    publisher, up, publishing_client = await published_track()
    offers: list[str] = []
    viewer = SfuPeer(LOOPBACK, offers.append, lambda up: None, nothing)
    client = RTCPeerConnection()

    async def answer_next(count: int) -> str:
        await wait_until(lambda: len(offers) >= count, 2.0, f"server offer {count}")
        await client.setRemoteDescription(RTCSessionDescription(offers[count - 1], "offer"))
        await client.setLocalDescription(await client.createAnswer())
        await viewer.accept_answer(client.localDescription.sdp)
        return offers[count - 1]

    viewer.subscribe(up, "alice", "camera:alice")
    first = await answer_next(1)
    assert msid_lines(first) == ["a=msid:alice camera:alice"]
    await viewer.unsubscribe(up)
    await answer_next(2)
    republisher, rejoined, republishing_client = await published_track()
    viewer.subscribe(rejoined, "alice", "camera:alice")
    third = await answer_next(3)
    lines = msid_lines(third)
    assert len(lines) == 2
    assert len(set(lines)) == 2
    assert "a=msid:alice camera:alice" in lines  # the live one keeps the documented ids
    for closing in (viewer, publisher, republisher):
        await closing.close()
    for pc in (client, publishing_client, republishing_client):
        await pc.close()


async def test_no_offer_is_made_on_a_connection_aiortc_closed() -> None:
    """aiortc closes a connection itself when the client goes away (its DTLS closes); an
    answer applied meanwhile can leave the signaling state at "stable". The server's next
    offer must not be attempted (it raised InvalidStateError: sfu_offer_failed)."""
    publisher, up, publishing_client = await published_track()
    offers: list[str] = []
    viewer = SfuPeer(LOOPBACK, offers.append, lambda up: None, nothing)
    await viewer.connection.close()
    viewer.connection._RTCPeerConnection__signalingState = "stable"  # type: ignore[attr-defined]
    with capture_logs() as logs:
        viewer.subscribe(up, "alice", "camera:alice")
        assert viewer._negotiation is not None
        await viewer._negotiation
    assert not offers
    assert not [entry for entry in logs if entry["log_level"] == "error"]
    for closing in (viewer, publisher):
        await closing.close()
    await publishing_client.close()


async def test_the_answer_to_an_offer_that_ends_a_track_goes_out_before_the_next_offer() -> None:
    """A client stops sending a track (a screen share ends) just as someone else publishes.
    Tidying up the ended track lets other tasks run: the server's offer for the new
    subscription went out before the answer, so the polite client rolled its offer back for
    it, and the answer came for an offer that no longer existed."""
    publisher, up, publishing_client = await published_track()
    order: list[str] = []

    async def ended(track: PublishedTrack) -> None:
        await asyncio.sleep(0.05)  # the room unsubscribes the others: their senders stop

    peer = SfuPeer(LOOPBACK, lambda sdp: order.append("offer"), lambda up: None, ended)
    client = RTCPeerConnection()
    sending = client.addTransceiver(VideoStreamTrack(), direction="sendonly")
    await client.setLocalDescription(await client.createOffer())
    answer = await peer.accept_offer(client.localDescription.sdp)
    await client.setRemoteDescription(RTCSessionDescription(answer, "answer"))
    sending.direction = "inactive"
    await client.setLocalDescription(await client.createOffer())
    peer.subscribe(up, "alice", "camera:alice")  # the server's offer waits for this one
    await peer.accept_offer(client.localDescription.sdp)
    order.append("answer")  # handed to the client as soon as accept_offer returns
    assert peer.published == []
    await wait_until(lambda: "offer" in order, 1.0, "the server's offer")
    assert order == ["answer", "offer"]
    for closing in (peer, publisher):
        await closing.close()
    for pc in (client, publishing_client):
        await pc.close()


async def test_a_server_offer_that_could_not_be_made_is_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The offer for a new subscription failed once (sfu_offer_failed): the subscription was
    never offered again, and the viewer never received the person's m-line."""
    publisher, up, publishing_client = await published_track()
    offers: list[str] = []
    viewer = SfuPeer(LOOPBACK, offers.append, lambda up: None, nothing)
    failures = [RuntimeError("no offer this time")]

    async def failing_once(pc: RTCPeerConnection) -> RTCSessionDescription:
        if failures:
            raise failures.pop()
        return await create_offer(pc)

    monkeypatch.setattr(peer_module, "create_offer", failing_once)
    with capture_logs() as logs:
        viewer.subscribe(up, "alice", "camera:alice")
        await wait_until(lambda: offers, 2.0, "the offer made again")
    # (the info lines of a subscription starting are not what this is about)
    problems = [entry for entry in logs if entry["log_level"] in ("warning", "error")]
    assert [entry["event"] for entry in problems] == ["sfu_offer_failed"]
    assert offers, "the offer is made again"
    assert "a=msid:alice camera:alice" in offers[0]
    for closing in (viewer, publisher):
        await closing.close()
    await publishing_client.close()
