"""Benchmark participants of Rapat's SFU: REST setup, then the real `/ws` signaling."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from typing import Any

import httpx2 as httpx
from aiortc import RTCSessionDescription
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from harness import Rest, Seat, sign_up
from rapat.sfu.hooks import ForwardingSender
from sfu_clients import (
    Tally,
    add_publisher_tracks,
    adopt_subscriber_receivers,
    bind_loopback,
    compact_sdp,
    new_peer_connection,
    publish_media,
)
from sfu_media import Clip


async def seat_users(port: int, count: int) -> list[Seat]:
    """`count` users in one new room (the first hosts it), each joined through REST."""
    run = uuid.uuid4().hex[:8]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
        rest = Rest(http)
        users = [await sign_up(rest, f"sfu{i}-{run}", f"Sfu{i}") for i in range(count)]
        room = await rest.call(
            "POST",
            "/api/v1/rooms",
            users[0][1],
            name="SFU bench",
            settings={"media_mode": "sfu"},  # never peer-to-peer, even with two in
            max_users=100,
        )
        for _, token in users:
            await rest.call("POST", f"/api/v1/rooms/{room['id']}/join", token)
    return [Seat(user_id, token, room["id"]) for user_id, token in users]


class RapatParticipant:
    """One aiortc client on one WebSocket: a publisher (audio + video, receives nothing:
    it answers the SFU's offers of others' tracks as inactive) or a subscriber."""

    def __init__(self, port: int, seat: Seat, tally: Tally, publisher: int | None) -> None:
        self.port = port
        self.seat = seat
        self.tally = tally
        self.publisher = publisher  # its index, or None for a subscriber
        self.pc = new_peer_connection()
        self.ws: ClientConnection | None = None
        self.errors: list[str] = []
        self.tracks = 0
        self._answered = asyncio.Event()
        self.offers_answered = 0
        self.offer_chars = 0
        self._last_signal = time.monotonic()
        self._tasks: list[asyncio.Task[None]] = []
        self._senders: tuple[ForwardingSender, ForwardingSender] | None = None
        if publisher is not None:
            self._senders = add_publisher_tracks(self.pc, f"p{publisher}")

    async def open(self) -> None:
        seat = self.seat
        self.ws = await connect(
            f"ws://127.0.0.1:{self.port}/ws?roomId={seat.room_id}"
            f"&userId={seat.user_id}&token={seat.token}",
            max_size=2**22,
        )
        self._tasks.append(asyncio.ensure_future(self._read()))
        await self._send("join_room", {"media": True})

    async def _send(self, kind: str, data: dict[str, Any], id: str | None = None) -> None:
        assert self.ws is not None
        message: dict[str, Any] = {"type": kind, "data": data}
        if id is not None:
            message["id"] = id
        await self.ws.send(json.dumps(message))

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                message = json.loads(raw)
                self._last_signal = time.monotonic()
                kind, data = message.get("type"), message.get("data") or {}
                if kind == "offer" and data.get("from") == "sfu":
                    await self._answer(data["sdp"])
                elif kind == "answer" and data.get("from") == "sfu":
                    await self.pc.setRemoteDescription(RTCSessionDescription(data["sdp"], "answer"))
                    self._answered.set()
                elif kind == "error":
                    self.errors.append(f"{data.get('code')}: {data.get('message')}")
                    self._answered.set()
        except ConnectionClosed:
            return

    async def _answer(self, sdp: str) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp, "offer"))
        if self.publisher is None:
            self.tracks += adopt_subscriber_receivers(self.pc.getTransceivers(), self.tally)
        else:
            for transceiver in self.pc.getTransceivers():
                if not isinstance(transceiver.sender, ForwardingSender):
                    transceiver.direction = "inactive"
        bind_loopback(self.pc)
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        await self._send("answer", {"sdp": compact_sdp(self.pc.localDescription.sdp)})
        self.offers_answered += 1

    async def settle(self, quiet: float = 0.3, seconds: float = 20.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            stable = self.pc.signalingState == "stable"
            if stable and time.monotonic() - self._last_signal > quiet:
                return
            await asyncio.sleep(0.05)
        raise RuntimeError(
            f"publisher {self.publisher}: the negotiation did not settle "
            f"({self.pc.signalingState}, errors {self.errors}, offer {self.offer_chars} chars, "
            f"{self.offers_answered} offers answered)"
        )

    async def publish(self, clip: Clip) -> None:
        assert self._senders is not None
        assert self.publisher is not None
        # aiortc cannot roll an offer back: wait for the SFU's offer of the tracks already
        # published (the first publisher gets none), so ours cannot cross it.
        deadline = time.monotonic() + 20
        while self.publisher and not self.offers_answered and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for _ in range(5):
            await self.settle()
            self._answered.clear()
            self.errors.clear()
            bind_loopback(self.pc)
            await self.pc.setLocalDescription(await self.pc.createOffer())
            offer = compact_sdp(self.pc.localDescription.sdp)
            self.offer_chars = len(offer)
            await self._send("offer", {"sdp": offer}, id="offer")
            await asyncio.wait_for(self._answered.wait(), 20)
            if not self.errors:
                break
        else:
            raise RuntimeError(f"publishing failed: {self.errors}")
        audio, video = self._senders
        self._tasks.append(
            asyncio.ensure_future(publish_media(audio, video, clip, self.publisher, self.tally))
        )

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        await self.pc.close()


async def start_rapat_point(
    port: int, seats: list[Seat], publishers: int, tally: Tally, clip: Clip, *, first: int = 0
) -> list[RapatParticipant]:
    """Publishers one after another (each settles before it offers), then the subscribers
    together; returns them all, media flowing. Publishers are numbered from `first` (their
    packets must differ from those of other rooms sharing the tally)."""
    participants: list[RapatParticipant] = []
    for index in range(publishers):
        participant = RapatParticipant(port, seats[index], tally, first + index)
        participants.append(participant)
        await participant.open()
        await participant.publish(clip)
    subscribers = [RapatParticipant(port, seat, tally, None) for seat in seats[publishers:]]
    participants.extend(subscribers)
    await asyncio.gather(*(s.open() for s in subscribers))
    return participants
