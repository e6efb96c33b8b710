"""SFU peers come and go cleanly: reports flow, NACKs are answered, removal and leaving tear
everything down, and twenty join/leave cycles leave nothing behind."""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any

from aiortc.rtp import RtpPacket

from rapat.sfu.hooks import ForwardingReceiver
from tests.integration.media_clients import MediaClient, eventually
from tests.integration.sfu_fixtures import conference_of, meeting
from tests.waiting import wait_until

__all__ = ["meeting"]


def open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                count += 1
        except OSError:
            continue
    return count


def server_tasks(meeting_client: Any) -> int:
    async def count() -> int:
        return len(asyncio.all_tasks())

    result: int = meeting_client.portal.call(count)
    return result


def video_receiver(client: MediaClient, track_id: str) -> ForwardingReceiver:
    for transceiver in client.pc.getTransceivers():
        track = transceiver.receiver.track
        if track is not None and track.id == track_id:
            receiver = transceiver.receiver
            assert isinstance(receiver, ForwardingReceiver)
            return receiver
    raise AssertionError(f"no receiver for {track_id}")


async def test_sender_and_receiver_reports_flow_both_ways(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks(audio=False)
    await publisher.publish()
    subscriber = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(lambda: camera in subscriber.received, what="subscription")

    async def stats(report_of: Any) -> dict[str, Any]:
        return {stat.type: stat for stat in (await report_of()).values()}

    async def reports_arrived() -> bool:
        sub = await stats(video_receiver(subscriber, camera).getStats)
        sender = publisher.pc.getTransceivers()[0].sender
        pub = await stats(sender.getStats)
        # SR from the SFU (with what it counted sending) reached the subscriber; RR from
        # the SFU reached the publisher.
        report = sub.get("remote-outbound-rtp")
        return report is not None and report.packetsSent > 0 and "remote-inbound-rtp" in pub

    await wait_until(reports_arrived, 6.0, "RTCP reports flowing both ways", interval=0.1)


async def test_nack_is_answered_from_the_cache_as_rtx(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks(audio=False)
    await publisher.publish()
    subscriber = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(
        lambda: camera in subscriber.received and len(subscriber.received[camera].packets) > 30,
        what="30 packets",
    )
    received = subscriber.received[camera].packets
    wanted = received[5]
    before = len(received)
    await video_receiver(subscriber, camera)._send_rtcp_nack(wanted.ssrc, [wanted.sequence_number])

    def repeated() -> list[RtpPacket]:
        return [
            p
            for p in received[before:]
            if p.sequence_number == wanted.sequence_number and p.payload == wanted.payload
        ]

    # The copy came back as RTX (unwrapped by the receiver) with the same payload.
    await eventually(lambda: bool(repeated()), seconds=3, what="retransmission")


async def test_removed_participant_is_torn_down_and_others_unsubscribed(meeting: Any) -> None:
    client, _, connect, people = meeting
    host = connect(people[0])
    guest = connect()
    guest.add_tracks()
    await guest.publish()
    guest_id = people[1].user["id"]
    await eventually(lambda: len(host.tracks) == 2, what="host receives guest")
    room = next(iter(conference_of(client)._rooms.values()))
    assert room.has(guest_id)
    host.send("remove_participant", {"userId": guest_id}, id="rm")
    await eventually(lambda: not room.has(guest_id), what="guest's peer gone")
    assert room.publications() == []

    def unsubscribed() -> bool:
        return all(t.currentDirection == "inactive" for t in host.pc.getTransceivers())

    await eventually(unsubscribed, what="host's m-lines inactive")


async def test_leave_and_rejoin_receives_again(meeting: Any) -> None:
    _, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks()
    await publisher.publish()
    first = connect(raw=True)
    guest = people[-1]
    camera = f"camera:{people[0].user['id']}"
    await eventually(
        lambda: camera in first.received and len(first.received[camera].packets) > 5,
        what="media before leaving",
    )
    first.send("leave_room", id="bye")
    await first.close()
    await publisher.wait_event("participant_left")  # the server is done with the old one
    again = connect(guest, raw=True)
    await eventually(
        lambda: camera in again.received and len(again.received[camera].packets) > 5,
        what="media after rejoin",
    )


async def test_twenty_join_leave_cycles_leave_nothing_behind(meeting: Any) -> None:
    client, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks()
    await publisher.publish()
    camera = f"camera:{people[0].user['id']}"
    guest = None
    # One warm-up cycle, so lazily created pools count in the baseline.
    for cycle in range(21):
        visitor = connect(guest, raw=True)
        guest = guest or people[-1]
        await eventually(
            lambda v=visitor: camera in v.received and len(v.received[camera].packets) > 2,
            what=f"media in cycle {cycle}",
        )
        visitor.send("leave_room", id="bye")
        await visitor.close()
        await publisher.wait_event("participant_left")
        room = next(iter(conference_of(client)._rooms.values()))
        visitor_id = people[-1].user["id"]
        await eventually(lambda r=room, v=visitor_id: not r.has(v), what="visitor gone")
        publisher_peer = room.peer(people[0].user["id"])
        await eventually(lambda p=publisher_peer: all(up.subscribers == 0 for up in p.published))
        if cycle == 0:
            await asyncio.sleep(0.5)
            baseline = (open_sockets(), server_tasks(client), own_threads())
    await asyncio.sleep(0.5)
    assert (open_sockets(), server_tasks(client), own_threads()) == baseline
    # The SFU never decodes: no decoder thread ever ran for a forwarded track.
    assert not [t for t in threading.enumerate() if t.name.endswith("-decoder")]


def own_threads() -> int:
    """Threads other than the pools, which grow lazily up to their size: the executors',
    and the database pool's (aiosqlite runs each pooled connection on a thread of its own,
    and a second connection opens when two queries overlap, as they may on a busy machine
    after the baseline was taken)."""
    return sum(
        1
        for t in threading.enumerate()
        if not t.name.startswith(("ThreadPoolExecutor", "asyncio_"))
        and not t.name.endswith("(_connection_worker_thread)")
    )


def metric(text: str, name: str) -> float:
    line = next(line for line in text.splitlines() if line.startswith(name + " "))
    return float(line.split()[1])


async def test_the_sfu_shows_in_metrics_and_counters_survive_leaving(meeting: Any) -> None:
    client, _, connect, people = meeting
    publisher = connect(people[0])
    publisher.add_tracks()
    await publisher.publish()
    viewer = connect(raw=True)
    camera = f"camera:{people[0].user['id']}"
    await eventually(
        lambda: camera in viewer.received and len(viewer.received[camera].packets) > 20
    )
    text = client.get("/metrics").text
    assert metric(text, "rapat_sfu_rooms") == 1
    assert metric(text, "rapat_sfu_participants") == 2
    assert metric(text, "rapat_sfu_published_tracks") == 2
    assert metric(text, "rapat_sfu_subscriptions") == 2
    forwarded = metric(text, "rapat_sfu_packets_forwarded_total")
    assert forwarded >= 20
    assert metric(text, "rapat_sfu_packets_received_total") >= forwarded / 2
    viewer.send("leave_room", id="bye")
    await viewer.close()
    await publisher.wait_event("participant_left")
    after = client.get("/metrics").text
    assert metric(after, "rapat_sfu_participants") == 1
    assert metric(after, "rapat_sfu_subscriptions") == 0
    assert metric(after, "rapat_sfu_packets_forwarded_total") >= forwarded
