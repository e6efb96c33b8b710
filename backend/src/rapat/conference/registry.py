"""The media rooms live on this node, created on first use and dropped when empty."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rapat.conference.media_room import ForwardingTotals, MediaRoom, MemberState, Send
from rapat.sfu.interfaces import PeerFactory


class Conference:
    """Media rooms of this process. A room's media lives on one node: members connected
    to another node's signaling see its state but reach media only through their own node
    (see docs/architecture.md). Each member's peer comes from `peer_factory`, which the
    composition root chooses (the SFU's peer, in `app.py`)."""

    def __init__(self, peer_factory: PeerFactory) -> None:
        self._peer_factory = peer_factory
        self._rooms: dict[uuid.UUID, MediaRoom] = {}
        self._totals = ForwardingTotals()  # shared by every room, kept when rooms go

    @property
    def rooms(self) -> int:
        return len(self._rooms)

    def room(self, room_id: uuid.UUID) -> MediaRoom | None:
        return self._rooms.get(room_id)

    async def join(
        self,
        room_id: uuid.UUID,
        user_id: uuid.UUID,
        send: Send,
        can_publish: bool,
        state: MemberState,
        *,
        allow_p2p: bool = False,
    ) -> object:
        """Returns the token `leave` takes."""
        room = self._rooms.get(room_id)
        if room is None:
            room = self._rooms[room_id] = MediaRoom(self._peer_factory, totals=self._totals)
        return await room.join(str(user_id), send, can_publish, state, allow_p2p=allow_p2p)

    async def leave(self, room_id: uuid.UUID, user_id: uuid.UUID, token: object) -> None:
        room = self._rooms.get(room_id)
        if room is None:
            return
        await room.leave(str(user_id), token)
        if room.empty:
            self._rooms.pop(room_id, None)

    async def end(self, room_id: uuid.UUID) -> None:
        room = self._rooms.pop(room_id, None)
        if room is not None:
            await room.close()

    async def close(self) -> None:
        rooms, self._rooms = self._rooms, {}
        for room in rooms.values():
            await room.close()

    def snapshot(self) -> SfuSnapshot:
        rooms = list(self._rooms.values())
        live = [room.live_counts() for room in rooms]
        return SfuSnapshot(
            rooms=len(rooms),
            participants=sum(room.members() for room in rooms),
            published_tracks=sum(len(room.publications()) for room in rooms),
            subscriptions=sum(room.subscriptions() for room in rooms),
            packets_in=self._totals.packets_in + sum(c[0] for c in live),
            packets_out=self._totals.packets_out + sum(c[1] for c in live),
            retransmitted=self._totals.retransmitted + sum(c[2] for c in live),
        )


@dataclass(frozen=True, slots=True)
class SfuSnapshot:
    rooms: int
    participants: int
    published_tracks: int
    subscriptions: int
    packets_in: int
    packets_out: int
    retransmitted: int
