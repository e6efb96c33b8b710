"""The media rooms live on this node, created on first use and dropped when empty."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from rapat.conference.forwarding_counts import ForwardingCounts
from rapat.conference.media_room import MediaRoom, MemberState, Send
from rapat.conference.recording_manifest import Manifest
from rapat.conference.room_recording import EndListener, RecordingEnded, RoomRecording
from rapat.domain.errors import Conflict
from rapat.observability.logging import get_logger
from rapat.recording.capture_thread import CaptureOptions
from rapat.services.recording_ledger import RecordingLedger
from rapat.sfu.interfaces import PeerFactory

_log = get_logger("rapat.conference")


class Conference:
    """Media rooms of this process. A room served by several nodes (its home was full)
    has a media room on each, joined by relays (`relays.py`, decision 70). Each member's
    peer comes from `peer_factory`, which the composition root chooses (the SFU's peer, in
    `app.py`). Rooms are recorded under
    `recordings` (None: this node does not record), each one listed in the `ledger` before
    its first packet is written and told to it when it stops (which queues its compose)."""

    def __init__(
        self,
        peer_factory: PeerFactory,
        recordings: Path | None = None,
        capture: CaptureOptions | None = None,
        ledger: RecordingLedger | None = None,
    ) -> None:
        self._peer_factory = peer_factory
        self.recordings = recordings
        self._capture = capture
        self._ledger = ledger
        self._rooms: dict[uuid.UUID, MediaRoom] = {}
        self._totals = ForwardingCounts()  # shared by every room, kept when rooms go

    @property
    def rooms(self) -> int:
        return len(self._rooms)

    def room(self, room_id: uuid.UUID) -> MediaRoom | None:
        return self._rooms.get(room_id)

    def room_ids(self) -> set[uuid.UUID]:
        return set(self._rooms)

    async def join(
        self,
        room_id: uuid.UUID,
        user_id: uuid.UUID,
        send: Send,
        can_publish: bool,
        state: MemberState,
        *,
        allow_p2p: bool = False,
        name: str = "",
    ) -> object:
        """Returns the token `leave` takes."""
        room = self._rooms.get(room_id)
        if room is None:
            room = self._rooms[room_id] = MediaRoom(self._peer_factory, totals=self._totals)
        return await room.join(
            str(user_id), send, can_publish, state, allow_p2p=allow_p2p, name=name
        )

    async def leave(self, room_id: uuid.UUID, user_id: uuid.UUID, token: object) -> None:
        room = self._rooms.get(room_id)
        if room is None:
            return
        await room.leave(str(user_id), token)
        if room.empty and self._rooms.get(room_id) is room:
            del self._rooms[room_id]
            await room.close()  # the relays with other nodes, if any

    async def start_recording(
        self, room_id: uuid.UUID, by: uuid.UUID, on_ended: EndListener
    ) -> tuple[str, bool]:
        """Record the room's media on this node: (recording id, whether it started now;
        False when one was already under way). `on_ended` is awaited when it stops, after
        the ledger heard of it."""
        if self.recordings is None:
            raise Conflict("This server does not record.", code="recording_unavailable")
        room = self._media_room_of(room_id)
        if room.recording is not None:
            return room.recording.recording_id, False
        recording_id, started_at = uuid.uuid4(), time.time()
        directory = self.recordings / str(room_id) / str(recording_id)
        if self._ledger is not None:
            await self._ledger.begin(room_id, recording_id, by, started_at, directory)
        room = self._media_room_of(room_id)  # (the room may have emptied meanwhile)
        if room.recording is not None:  # (or someone else started one)
            if self._ledger is not None:
                await self._ledger.abandon(recording_id)
            return room.recording.recording_id, False
        manifest = Manifest(str(recording_id), str(room_id), str(by), started_at)
        if self._ledger is not None:
            on_ended = self._ledger_first(on_ended)
        room.start_recording(RoomRecording(directory, manifest, on_ended, self._capture))
        return str(recording_id), True

    def _media_room_of(self, room_id: uuid.UUID) -> MediaRoom:
        room = self._rooms.get(room_id)
        if room is None:
            raise Conflict("Nobody's media runs in this room yet.", code="media_not_started")
        return room

    def _ledger_first(self, on_ended: EndListener) -> EndListener:
        ledger = self._ledger
        assert ledger is not None

        async def ended(event: RecordingEnded) -> None:
            try:
                await ledger.finish(
                    uuid.UUID(event.recording_id),
                    reason=event.reason,
                    error=event.error,
                    participants=event.participants,
                )
            except Exception:  # the room is told anyway; start-up recovery queues it later
                _log.exception("recording_stop_not_saved", recording_id=event.recording_id)
            await on_ended(event)

        return ended

    async def stop_recording(self, room_id: uuid.UUID, by: uuid.UUID) -> bool:
        """False when this node was not recording the room."""
        room = self._rooms.get(room_id)
        recording = room.recording if room is not None else None
        if recording is None:
            return False
        await recording.stop("requested", str(by))
        return True

    def recording(self, room_id: uuid.UUID) -> RoomRecording | None:
        room = self._rooms.get(room_id)
        return None if room is None else room.recording

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
        counts = self._totals
        for room in rooms:
            counts = counts.plus(room.live_counts())
        return SfuSnapshot(
            rooms=len(rooms),
            participants=sum(room.members() for room in rooms),
            published_tracks=sum(len(room.publications()) for room in rooms),
            subscriptions=sum(room.subscriptions() for room in rooms),
            forwarding=counts,
        )


@dataclass(frozen=True, slots=True)
class SfuSnapshot:
    rooms: int
    participants: int
    published_tracks: int
    subscriptions: int
    forwarding: ForwardingCounts  # since the process started
