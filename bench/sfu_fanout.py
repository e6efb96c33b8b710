"""The SFU's fan-out alone: one published video track, S subscribers connected on
loopback, packets handed to `PublishedTrack.on_packet` back to back. Prints the time per
forwarded packet (sequence rewrite, header, SRTP, sendto), without the receiving side,
the event loop or other processes' scheduling in it: a quick check of a change to the
sending path before a full `bench/sfu.py` run. `--profile` adds cProfile's top functions.

    .venv/bin/python bench/sfu_fanout.py [--subscribers 8] [--packets 20000] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import time

import uvloop
from aiortc import RTCPeerConnection
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket

from rapat.sfu.hooks import adopt_receiver, adopt_sender
from rapat.sfu.published_track import PublishedTrack
from rapat.sfu.subscriber_track import SubscriberTrack
from sfu_clients import bind_loopback, new_peer_connection

VP8 = RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=96)


async def subscriber(
    up: PublishedTrack, received: list[int]
) -> tuple[RTCPeerConnection, RTCPeerConnection]:
    """A server-side sender and a client-side receiver, connected; the sender's
    SubscriberTrack is attached to `up`."""
    server, client = new_peer_connection(), new_peer_connection()
    transceiver = server.addTransceiver("video", direction="sendonly")
    down = SubscriberTrack(up)
    up.attach(down)  # (before negotiation: forwarding starts with the sender)
    down.bind(adopt_sender(transceiver.sender, "s", "t", down))
    bind_loopback(server)
    await server.setLocalDescription(await server.createOffer())
    await client.setRemoteDescription(server.localDescription)

    def count(packet: RtpPacket) -> None:
        received[0] += 1

    for theirs in client.getTransceivers():
        adopt_receiver(theirs.receiver, count)
    bind_loopback(client)
    await client.setLocalDescription(await client.createAnswer())
    await server.setRemoteDescription(client.localDescription)
    return server, client


async def main(args: argparse.Namespace) -> None:
    up = PublishedTrack("video", "t", VP8)
    received = [0]
    pairs = [await subscriber(up, received) for _ in range(args.subscribers)]
    senders = [server.getTransceivers()[0].sender for server, _ in pairs]
    while not all(getattr(sender, "ready", False) for sender in senders):
        await asyncio.sleep(0.05)
    payload = bytes(1100)
    packets = []  # every round goes on with new sequence numbers (SRTP refuses replays)
    for seq in range(args.packets * args.rounds):
        packet = RtpPacket(payload_type=96, sequence_number=seq & 0xFFFF, timestamp=seq * 3000)
        packet.payload = payload
        packet.extensions.abs_send_time = 0
        packets.append(packet)
    # A subscription forwards from a keyframe on: the first packet starts one (VP8's
    # keyframe header), the rest are plain payload.
    packets[0].payload = b"\x10\x00\x00\x00\x9d\x01\x2a" + bytes(len(payload) - 7)
    profile = cProfile.Profile() if args.profile else None
    best = float("inf")
    for round in range(args.rounds):
        batch = 20  # like one frame: back to back, then the loop reads the sockets
        elapsed = 0.0
        for start in range(round * args.packets, (round + 1) * args.packets, batch):
            began = time.process_time()
            if profile is not None:
                profile.enable()
            for packet in packets[start : start + batch]:
                up.on_packet(packet)
            if profile is not None:
                profile.disable()
            elapsed += time.process_time() - began
            await asyncio.sleep(0)  # the subscribers drain their sockets
        best = min(best, elapsed / (args.packets * args.subscribers) * 1e6)
        await asyncio.sleep(0.2)
    print(
        f"{args.subscribers} subscribers: {best:.2f} µs per forwarded packet "
        f"(best of {args.rounds}; {received[0]} received)"
    )
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(12)
    for server, client in pairs:
        await server.close()
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=8)
    parser.add_argument("--packets", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    uvloop.run(main(parser.parse_args()))
