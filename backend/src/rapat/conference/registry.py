"""The media rooms live on this node, created on first use and dropped when empty."""

from __future__ import annotations

import uuid
from typing import Any

from rapat.conference.media_room import MediaRoom, MemberState, Send
from rapat.sfu.network import NetworkOptions


class Conference:
    """Media rooms of this process. A room's media lives on one node: members connected
    to another node's signaling see its state but reach media only through their own node
    (see docs/architecture.md)."""

    def __init__(self, network: NetworkOptions, keyframe_interval: float = 0.5) -> None:
        self._network = network
        self._keyframe_interval = keyframe_interval
        self._rooms: dict[uuid.UUID, MediaRoom] = {}

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
            room = self._rooms[room_id] = MediaRoom(self._network, self._keyframe_interval)
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

    def stats(self) -> dict[str, Any]:
        return {
            "rooms": len(self._rooms),
            "publications": sum(len(r.publications()) for r in self._rooms.values()),
        }
