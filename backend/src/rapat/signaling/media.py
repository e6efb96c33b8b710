"""A connection's link to the SFU: its media session in the room, fed by signaling."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from rapat.conference.live_state import ParticipantState
from rapat.conference.media_room import MediaRoom, MemberState
from rapat.conference.registry import Conference
from rapat.conference.room_recording import EndListener
from rapat.domain.errors import Conflict, Unavailable
from rapat.signaling import messages as m
from rapat.signaling.messages import event


def member_state(state: ParticipantState, screen_track_id: str | None) -> MemberState:
    return MemberState(state.muted, state.video, state.screen, screen_track_id)


class MediaLink:
    def __init__(
        self,
        conference: Conference | None,
        room_id: uuid.UUID,
        user_id: uuid.UUID,
        send: Callable[[dict[str, Any]], object],
        name: str = "",
    ) -> None:
        self._conference = conference
        self._name = name  # the display name a recording's manifest lists
        self._room_id = room_id
        self._user_id = user_id
        self._send = send
        self._allow_p2p = False
        self._token: object | None = None  # our session in the media room, once started
        self._screen_track_id: str | None = None
        self._camera_cap: str | None = None
        self._hidden: frozenset[str] = frozenset()  # videos this member does not show
        self._sizes: dict[str, tuple[int, int]] = {}  # the tile sizes of those it shows

    @property
    def started(self) -> bool:
        return self._token is not None

    async def start(
        self, state: ParticipantState, can_publish: bool, allow_p2p: bool = False
    ) -> None:
        self._allow_p2p = allow_p2p
        if self._token is not None:
            return
        if self._conference is None:
            raise Unavailable("This server runs no media (RAPAT_SFU_ENABLED=false).", code="no_sfu")
        self._token = await self._conference.join(
            self._room_id,
            self._user_id,
            self._send,
            can_publish,
            member_state(state, self._screen_track_id),
            allow_p2p=allow_p2p,
            name=self._name,
        )
        self.set_camera_cap(self._camera_cap)
        self.set_hidden_videos(self._hidden, self._sizes)

    async def negotiate(
        self,
        message: m.Offer | m.Answer | m.IceCandidate,
        state: ParticipantState,
        can_publish: bool,
    ) -> None:
        await self.start(state, can_publish, self._allow_p2p)
        room = self._room()
        user = str(self._user_id)
        match message:  # the room raises domain errors the connection replies with
            case m.Offer(data=data):
                answer = await room.offer(user, data.sdp)
                self._send(event("answer", {"sdp": answer, "from": "sfu"}))
            case m.Answer(data=data):
                await room.answer(user, data.sdp)
            case m.IceCandidate(data=data):
                await room.candidate(user, data.candidate)

    def declare_screen(self, track_id: str | None) -> None:
        if track_id is not None:
            self._screen_track_id = track_id

    def apply(self, state: ParticipantState) -> None:
        """The participant's state changed (by them, a moderator or the REST API)."""
        if self._token is None or self._conference is None:
            return
        room = self._conference.room(self._room_id)
        if room is not None:
            room.update(str(self._user_id), member_state(state, self._screen_track_id))

    def set_camera_cap(self, quality: str | None) -> None:
        """The room's `max_video_resolution`, enforced on this member's camera at the SFU
        (a direct call has no server in the path: there the clients keep to it)."""
        self._camera_cap = quality
        room = self._conference.room(self._room_id) if self._conference else None
        if self._token is not None and room is not None:
            room.set_camera_cap(str(self._user_id), quality)

    def set_hidden_videos(
        self, hidden: frozenset[str], sizes: Mapping[str, tuple[int, int]] | None = None
    ) -> None:
        """The videos this member does not show and the tile size of those it shows
        (`video_visibility`); kept for a media session that starts later."""
        self._hidden = hidden
        self._sizes = dict(sizes or {})
        room = self._conference.room(self._room_id) if self._conference else None
        if self._token is not None and room is not None:
            room.set_hidden_videos(str(self._user_id), hidden, self._sizes)

    def set_can_publish(self, can_publish: bool) -> None:
        room = self._conference.room(self._room_id) if self._conference else None
        if self._token is not None and room is not None:
            room.set_can_publish(str(self._user_id), can_publish)

    def active_speaker(self) -> dict[str, Any] | None:
        """Who speaks in the room now (`{"user_id", "level"}`), measured by this node's SFU;
        None before anyone spoke, or without media here."""
        room = self._conference.room(self._room_id) if self._conference else None
        return room.active_speaker() if room is not None else None

    @property
    def can_record(self) -> bool:
        """This node runs the SFU and may record (`RAPAT_RECORDING_ENABLED`)."""
        return self._conference is not None and self._conference.recordings is not None

    async def start_recording(self, on_ended: EndListener) -> bool:
        """Record the room's media on this node; False when it already was."""
        assert self._conference is not None
        _, started = await self._conference.start_recording(self._room_id, self._user_id, on_ended)
        return started

    async def stop_recording(self) -> bool:
        """False when this node was not recording the room."""
        assert self._conference is not None
        return await self._conference.stop_recording(self._room_id, self._user_id)

    async def stop(self) -> None:
        token, self._token = self._token, None
        if token is not None and self._conference is not None:
            await self._conference.leave(self._room_id, self._user_id, token)

    def _room(self) -> MediaRoom:
        assert self._conference is not None
        room = self._conference.room(self._room_id)
        if room is None:
            raise Conflict("The media session ended.", code="media_not_started")
        return room
