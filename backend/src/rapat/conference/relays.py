"""Relays between nodes that serve participants of one room (decision 70).

Each node with media in a room stays listed in the room's media group (presence in the
bus, renewed every third of its lifetime). For every other node listed, it keeps one
outgoing link: a relay member of its media room (`Relay.OUT`) that receives this node's
participants' publications and offers them to that node. The other node answers with an
incoming relay member (`Relay.IN`) that publishes them to its own participants. A link is
an ordinary peer connection of the SFU, so RTP crosses with DTLS-SRTP (the fingerprints
travel through the bus, which only the nodes reach) and keyframe requests, NACKs and
bandwidth estimates travel back over it as they do for any subscriber. Offers, answers
and farewells travel on each node's own channel; a node whose listing lapsed (it died)
is unlinked at the next renewal.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from rapat.bus.interfaces import Presence, PubSub
from rapat.conference.media_room import MediaRoom, Relay
from rapat.conference.registry import Conference
from rapat.domain.errors import DomainError
from rapat.observability.logging import get_logger
from rapat.sfu.interfaces import MediaPeer

_log = get_logger("rapat.conference")

# An offer of an outgoing link unanswered this long (a message lost on the bus, the other
# node stuck) closes the link; the next renewal makes a new one.
ANSWER_WAIT = 10.0


def channel_of(node_id: str) -> str:
    return f"relay:{node_id}"


def media_group(room_id: uuid.UUID) -> str:
    """The nodes with media in the room (presence members: node ids)."""
    return f"media:{room_id}"


def link_name(node_id: str, relay: Relay) -> str:
    """The relay member's name in a media room: never a participant's id (a UUID)."""
    return f"relay-{relay.value}:{node_id}"


@dataclass(frozen=True, slots=True)
class _Link:
    room_id: uuid.UUID
    node_id: str
    relay: Relay


@dataclass(slots=True)
class _Peer:
    peer: MediaPeer
    # Names one outgoing link and its answering one: an offer of a new link (the sender
    # relinked) replaces the incoming link of an old one.
    link_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    offered_at: float | None = None  # an outgoing link's offer awaiting its answer


class RoomRelays:
    def __init__(
        self, node_id: str, conference: Conference, pubsub: PubSub, presence: Presence, ttl: float
    ) -> None:
        self.node_id = node_id
        self._conference = conference
        self._pubsub = pubsub
        self._presence = presence
        self._ttl = ttl
        self._links: dict[_Link, _Peer] = {}
        self._rooms: set[uuid.UUID] = set()  # listed in their media groups
        self._outbox: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()

    @property
    def links(self) -> int:
        return len(self._links)

    async def run(self) -> None:
        """Listen, send and renew until cancelled; a failing bus is logged and retried."""
        tasks = [
            asyncio.create_task(self._listen(), name="relay-listen"),
            asyncio.create_task(self._send_all(), name="relay-send"),
        ]
        try:
            while True:
                try:
                    await self.renew()
                except Exception:
                    _log.exception("relay_renew_failed", node_id=self.node_id)
                await asyncio.sleep(self._ttl / 3)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._unlink_all()

    async def renew(self) -> None:
        """List this node in the groups of its media rooms, and link with every other node
        listed there; rooms gone here are left and their links closed."""
        served = self._conference.room_ids()
        for room_id in self._rooms - served:
            await self._leave_room(room_id)
        self._rooms = set(served)
        for room_id in served:
            await self._presence.touch(media_group(room_id), self.node_id, self._ttl)
            others = await self._presence.members(media_group(room_id)) - {self.node_id}
            for link in [k for k in self._links if k.room_id == room_id]:
                if link.node_id not in others:
                    _log.info("relay_node_gone", room_id=str(room_id), node=link.node_id)
                    await self._close(link)
                elif self._unanswered(link):
                    _log.warning("relay_offer_unanswered", room_id=str(room_id), node=link.node_id)
                    await self._give_up(link)
            room = self._conference.room(room_id)
            for node_id in others:
                if room is not None and _Link(room_id, node_id, Relay.OUT) not in self._links:
                    self._link_out(room_id, room, node_id)

    def _unanswered(self, link: _Link) -> bool:
        offered_at = self._links[link].offered_at
        return offered_at is not None and time.monotonic() - offered_at > ANSWER_WAIT

    def _link_out(self, room_id: uuid.UUID, room: MediaRoom, node_id: str) -> None:
        link = _Link(room_id, node_id, Relay.OUT)

        def send_offer(sdp: str) -> None:
            entry = self._links.get(link)
            if entry is None:
                return  # closed meanwhile
            entry.offered_at = time.monotonic()
            message = {"room": str(room_id), "kind": "offer", "sdp": sdp, "link": entry.link_id}
            self._post(node_id, message | {"names": room.local_names()})

        # (a peer offers from a task of its own, after this: the entry is there by then)
        peer = room.join_relay(link_name(node_id, Relay.OUT), Relay.OUT, send_offer)
        self._links[link] = entry = _Peer(peer)
        _log.info("relay_linked", room_id=str(room_id), node=node_id, link=entry.link_id)

    def _post(self, node_id: str, message: dict[str, Any]) -> None:
        self._outbox.put_nowait((node_id, message | {"from": self.node_id}))

    async def _send_all(self) -> None:
        """One sender, so a link's offers reach the other node in the order made."""
        while True:
            node_id, message = await self._outbox.get()
            try:
                await self._pubsub.publish(channel_of(node_id), json.dumps(message).encode())
            except Exception:  # the next renewal finds out whether the link still stands
                _log.exception("relay_send_failed", node=node_id, kind=message.get("kind"))

    async def _listen(self) -> None:
        while True:
            try:
                async with await self._pubsub.subscribe(channel_of(self.node_id)) as inbox:
                    async for raw in inbox:
                        await self._take(raw)
            except asyncio.CancelledError:
                raise
            except Exception:
                _log.exception("relay_listen_failed", node_id=self.node_id)
                await asyncio.sleep(self._ttl / 3)

    async def _take(self, raw: bytes) -> None:
        try:
            message = json.loads(raw)
            room_id, node_id = uuid.UUID(message["room"]), str(message["from"])
            kind = message["kind"]
        except (ValueError, KeyError, TypeError):
            _log.warning("relay_message_invalid", size=len(raw))
            return
        link_id = str(message.get("link", ""))
        try:
            if kind == "offer":
                await self._offered(room_id, node_id, link_id, message)
            elif kind == "answer":
                await self._answered(_Link(room_id, node_id, Relay.OUT), link_id, message)
            elif kind == "bye":
                for relay in Relay:
                    await self._close(_Link(room_id, node_id, relay))
        except (DomainError, KeyError) as error:  # relinked from scratch at a renewal
            _log.warning("relay_negotiation_failed", node=node_id, kind=kind, error=str(error))
            relay = Relay.IN if kind == "offer" else Relay.OUT
            await self._give_up(_Link(room_id, node_id, relay))

    async def _answered(self, link: _Link, link_id: str, message: dict[str, Any]) -> None:
        entry = self._links.get(link)
        if entry is None or entry.link_id != link_id:
            return  # an answer to a link closed since
        await entry.peer.accept_answer(str(message["sdp"]))
        entry.offered_at = None

    async def _give_up(self, link: _Link) -> None:
        """Close a link whose negotiation failed and tell the other node to drop its end."""
        await self._close(link)
        self._post(link.node_id, {"room": str(link.room_id), "kind": "bye"})

    async def _offered(
        self, room_id: uuid.UUID, node_id: str, link_id: str, message: dict[str, Any]
    ) -> None:
        room = self._conference.room(room_id)
        if room is None:  # nobody here any more: the other node stops sending
            self._post(node_id, {"room": str(room_id), "kind": "bye"})
            return
        link = _Link(room_id, node_id, Relay.IN)
        name = link_name(node_id, Relay.IN)
        entry = self._links.get(link)
        if entry is not None and entry.link_id != link_id:  # the sender relinked
            await self._close(link)
            entry = None
        if entry is None:
            entry = self._links[link] = _Peer(room.join_relay(name, Relay.IN, self._unexpected))
            entry.link_id = link_id
        names = message.get("names")
        if isinstance(names, dict):  # before the tracks appear: a recording names them
            room.relay_names(name, {str(k): str(v) for k, v in names.items()})
        answer = await room.offer(name, str(message["sdp"]))
        reply = {"room": str(room_id), "kind": "answer", "sdp": answer, "link": link_id}
        self._post(node_id, reply)

    @staticmethod
    def _unexpected(sdp: str) -> None:
        _log.warning("relay_in_offered", size=len(sdp))  # an incoming link subscribes to nothing

    async def _close(self, link: _Link) -> None:
        if self._links.pop(link, None) is None:
            return
        room = self._conference.room(link.room_id)
        if room is not None:
            await room.leave(link_name(link.node_id, link.relay))
        _log.info("relay_unlinked", room_id=str(link.room_id), node=link.node_id, relay=link.relay)

    async def _leave_room(self, room_id: uuid.UUID) -> None:
        """The room's last participant here left: out of its group, its links closed (the
        media room closed them already) and the other nodes told."""
        with contextlib.suppress(Exception):
            await self._presence.remove(media_group(room_id), self.node_id)
        for link in [k for k in self._links if k.room_id == room_id]:
            del self._links[link]
            if link.relay is Relay.OUT:
                self._post(link.node_id, {"room": str(room_id), "kind": "bye"})

    async def _unlink_all(self) -> None:
        for room_id in list(self._rooms):
            await self._leave_room(room_id)
        self._rooms = set()
        while not self._outbox.empty():  # farewells, best effort, before stopping
            node_id, message = self._outbox.get_nowait()
            with contextlib.suppress(Exception):
                await self._pubsub.publish(channel_of(node_id), json.dumps(message).encode())
