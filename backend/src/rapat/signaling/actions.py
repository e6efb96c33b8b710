"""What each client message does, for one connection, and what an ending implies."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from rapat.conference.live_state import ParticipantState
from rapat.conference.meeting import Admission
from rapat.conference.room_recording import RecordingEnded
from rapat.domain.errors import Conflict, Forbidden, NotFound
from rapat.domain.identity import Principal
from rapat.domain.permissions import Action, Role, allowed
from rapat.domain.presence import IN_MEETING
from rapat.services.room_settings import RoomSettings
from rapat.services.rooms import LEFT_ON_PASSWORD_CHANGE
from rapat.signaling import close_codes
from rapat.signaling import messages as m
from rapat.signaling.chat import PendingReply
from rapat.signaling.context import Context
from rapat.signaling.envelope import LEADERS, BusMessage, Received
from rapat.signaling.media import MediaLink
from rapat.signaling.messages import event
from rapat.signaling.outgoing import ConnectionLink
from rapat.signaling.rules import check_allowed


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a connection ended. `close_code` is None when the client closed it;
    `keep_seat` starts the grace period instead of leaving."""

    close_code: int | None
    keep_seat: bool
    left: bool = False  # the participant asked to leave


# Events after which this connection closes, with the close code.
_ENDINGS = {"removed": close_codes.FORBIDDEN, "room_ended": close_codes.ROOM_ENDED}


def _left_code(data: dict[str, Any]) -> int:
    """A person who left through the REST API closes normally; one a password change
    took out (decision 42) is refused like someone removed: the REST join decides."""
    if data.get("reason") == LEFT_ON_PASSWORD_CHANGE:
        return close_codes.FORBIDDEN
    return close_codes.NORMAL


def initial_state(admission: Admission) -> ParticipantState:
    """How someone enters: observers send nothing; the room's join settings mute the
    microphone or turn the camera off for everyone but the host, who may unmute."""
    observer = admission.role is Role.OBSERVER
    host = admission.role is Role.HOST
    settings = admission.settings
    return ParticipantState(
        user_id=str(admission.user_id),
        name=admission.name,
        role=admission.role.value,
        muted=observer or (settings.mute_on_join and not host),
        video=not (observer or (settings.camera_off_on_join and not host)),
    )


class Actions:
    def __init__(
        self,
        context: Context,
        connection: ConnectionLink,
        principal: Principal,
        admission: Admission,
        expires_at: float,
    ) -> None:
        self._context = context
        self._connection = connection
        self.principal = principal
        self.admission = admission
        self.expires_at = expires_at
        self.room_id = admission.room_id
        self.user_id = admission.user_id
        self.media = MediaLink(
            context.media, self.room_id, self.user_id, connection.send, admission.name
        )
        self.media.set_camera_cap(self.admission.settings.max_video_resolution)

    async def start(self, resumed: bool) -> None:
        live = self._context.live
        await live.claim(self.room_id, self.user_id, self._connection.id)
        # Any older connection of this person (on any node) steps aside.
        await self._publish(event("replaced", {}), to=self.user_id, connection=self._connection.id)
        state = await live.get(self.room_id, self.user_id) if resumed else None
        if state is None:
            state = initial_state(self.admission)
        await live.put(self.room_id, state)
        await self.refresh_presence()
        if not resumed:
            await self._publish(event("participant_joined", {"participant": state.to_json()}))
        self._connection.send(await self.room_state())
        await self.lobby_snapshot()

    async def refresh_presence(self) -> None:
        await self._context.live.refresh(self.room_id, self.user_id)
        await self._context.presence.touch(
            IN_MEETING, str(self.user_id), self._context.presence_ttl
        )

    async def room_state(self) -> dict[str, Any]:
        live = self._context.live
        participants = await live.participants(self.room_id)
        return event(
            "room_state",
            {
                "room_id": str(self.room_id),
                "you": str(self.user_id),
                "role": self.admission.role.value,
                "participants": [state.to_json() for state in participants],
                "recording": await live.recording(self.room_id),
                # whether this server records at all (the client shows Record only then)
                "recording_available": self.media.can_record,
                "settings": self.admission.settings.model_dump(),
                # the last `active_speaker` event, so a late joiner's view starts right
                "active_speaker": self.media.active_speaker(),
            },
        )

    def addressed_to_me(self, to: str | None) -> bool:
        """Whether an event for `to` is for this connection: everyone's, this person's,
        or the leaders' while this person may admit (their role now)."""
        if to is None or to == str(self.user_id):
            return True
        return to == LEADERS and allowed(self.admission.role, Action.ADMIT)

    async def lobby_snapshot(self) -> None:
        """A host or moderator connecting to a room with a lobby learns who waits."""
        if not allowed(self.admission.role, Action.ADMIT):
            return
        waiting = await self._context.rooms.lobby.store.waiting(self.room_id)
        if waiting or self.admission.settings.lobby_enabled:
            payload = {"waiting": [entry.to_json() for entry in waiting]}
            self._connection.send(event("lobby_waiting", payload))

    def on_published(self, message: Received) -> Outcome | None:
        """An event from the room channel: pass it on, or end this connection."""
        if not self.addressed_to_me(message.to):
            return None
        kind = message.type
        if kind == "replaced":  # another connection of this person took over
            if message.connection == self._connection.id:
                return None
            return Outcome(close_codes.REPLACED, keep_seat=False)
        about_me = message.about == str(self.user_id)
        if kind != "participant_joined" or not about_me:
            # (room_state already told this connection about itself)
            self._connection.send(message.frame)
        if about_me and kind == "participant_updated":
            participant = message.event()["data"]["participant"]
            self._take_role(participant["role"])
            self.media.apply(ParticipantState(**participant))
        if kind == "room_settings":  # changed by a host: applies to the next request
            settings = RoomSettings.model_validate(message.event()["data"]["settings"])
            self.admission = replace(self.admission, settings=settings)
            self.media.set_camera_cap(settings.max_video_resolution)
        if about_me and kind == "participant_left":  # through the REST API
            return Outcome(_left_code(message.event()["data"]), keep_seat=False)
        ending = _ENDINGS.get(kind)
        return None if ending is None else Outcome(ending, keep_seat=False)

    def _take_role(self, role: str) -> None:
        """A role changed through the REST API applies to this connection's next request."""
        if role != self.admission.role.value:
            self.admission = replace(self.admission, role=Role(role))
            self.media.set_can_publish(self._can_publish)

    @property
    def _can_publish(self) -> bool:
        return self.admission.role is not Role.OBSERVER

    async def stop_media(self) -> None:
        """The connection ended: its peer, tracks and ports go with it."""
        await self.media.stop()

    async def handle(self, message: m.ClientMessage) -> Outcome | None:
        check_allowed(self.admission.role, message, self.admission.settings)
        reply: dict[str, Any] = {}
        match message:
            case m.JoinRoom(data=data):
                if data.media:
                    allow_p2p = self.admission.settings.media_mode == "auto"
                    await self.media.start(await self._state(), self._can_publish, allow_p2p)
                self._connection.send(await self.room_state())
            case m.LeaveRoom():
                self._ack(message, reply)
                return Outcome(close_codes.NORMAL, keep_seat=False, left=True)
            case m.Ping():
                await self.refresh_presence()
                self._connection.send(event("pong", {}, message.id))
                return None
            case m.Chat(data=data):
                self._chat(message.id, data.text)
                return None  # acked once stored, in order with the other replies
            case m.Offer() | m.Answer() | m.IceCandidate() | m.VideoVisibility():
                await self._media_message(message)
            case m.Mute() | m.Video() | m.ScreenShare() | m.RaiseHand():
                await self._update_self(message)
            case m.Recording(data=data):
                await self._record(data.active)
            case m.MuteParticipant(data=data):
                await self._mute_other(data.user_id)
            case m.RemoveParticipant(data=data):
                await self._remove(data.user_id)
            case m.EndRoom() | m.Admit() | m.Deny() | m.AdmitAll():
                reply = await self._lead(message)
            case m.RefreshToken(data=data):
                principal, self.expires_at = await self._context.authenticate(
                    data.token, self.user_id
                )
                self.principal = principal
                reply = {"expires_in": round(self.expires_at - self._context.clock())}
        self._ack(message, reply)
        return None

    def _ack(self, message: m.ClientMessage, reply: dict[str, Any]) -> None:
        if message.id is not None:
            self._connection.send(event("ack", reply, message.id))

    def _chat(self, message_id: str | None, text: str) -> None:
        # Stored first, by the chat writer: a message others saw is always in the
        # transcript. This connection goes on reading meanwhile.
        stored = self._context.chat.submit(self.room_id, self.user_id, self.admission.name, text)
        self._connection.send(PendingReply(message_id, stored))

    async def _media_message(
        self, message: m.Offer | m.Answer | m.IceCandidate | m.VideoVisibility
    ) -> None:
        if isinstance(message, m.VideoVisibility):  # what the SFU forwards to this member
            self.media.set_hidden_videos(frozenset(message.data.hidden), message.data.sizes)
        elif message.data.to is None:  # with the SFU
            await self.media.negotiate(message, await self._state(), self._can_publish)
        else:  # peer-to-peer, relayed
            await self._relay(message)

    async def _state(self) -> ParticipantState:
        current = await self._context.live.get(self.room_id, self.user_id)
        return current or initial_state(self.admission)

    async def _relay(self, message: m.Offer | m.Answer | m.IceCandidate) -> None:
        target = message.data.to
        assert target is not None
        if await self._context.live.get(self.room_id, target) is None:
            raise NotFound("This person is not connected.", code="participant_not_found")
        payload = message.data.model_dump(mode="json", exclude={"to"})
        payload["from"] = str(self.user_id)
        await self._publish(event(message.type, payload), to=target)

    async def _update_self(self, message: m.Mute | m.Video | m.ScreenShare | m.RaiseHand) -> None:
        current = await self._context.live.get(self.room_id, self.user_id)
        state = current or initial_state(self.admission)
        match message:
            case m.Mute(data=data):
                state = state.changed(muted=data.muted)
            case m.Video(data=data):
                state = state.changed(video=data.enabled)
            case m.ScreenShare(data=data):
                state = state.changed(screen=data.active)
                self.media.declare_screen(data.track_id)
            case m.RaiseHand(data=data):
                state = state.changed(hand=data.raised)
        await self._context.live.put(self.room_id, state)
        self.media.apply(state)  # at once: the offer that follows a screen share needs it
        await self._publish(event("participant_updated", {"participant": state.to_json()}))

    async def _record(self, active: bool) -> None:
        """Start or stop recording the room's media on this node. Off unless the server
        records (RAPAT_RECORDING_ENABLED): saying "this meeting is being recorded" while
        nothing is written would be untrue."""
        if not self.media.can_record:
            raise Conflict(
                "Recording is not available on this server.", code="recording_unavailable"
            )
        if not active:
            if not await self.media.stop_recording():  # (not here: the flag alone goes)
                await self._recording_ended(RecordingEnded("", "requested", str(self.user_id)))
            return
        if await self.media.start_recording(self._recording_ended):
            await self._context.live.set_recording(self.room_id, True)
            payload = {"active": True, "by": str(self.user_id)}
            await self._publish(event("recording_state", payload))

    async def _recording_ended(self, ended: RecordingEnded) -> None:
        """Everyone is told the recording stopped, and why (it outlives this connection:
        the room's last leave or a failing disk may end it later)."""
        await self._context.live.set_recording(self.room_id, False)
        payload: dict[str, Any] = {"active": False, "by": ended.by, "reason": ended.reason}
        if ended.error is not None:
            payload["error"] = ended.error
        await self._publish(event("recording_state", payload))

    async def _mute_other(self, target: uuid.UUID) -> None:
        state = await self._context.live.get(self.room_id, target)
        if state is None:
            raise NotFound("This person is not connected.", code="participant_not_found")
        state = state.changed(muted=True)
        await self._context.live.put(self.room_id, state)
        payload = {"participant": state.to_json(), "by": str(self.user_id)}
        await self._publish(event("participant_updated", payload))

    async def _lead(self, message: m.EndRoom | m.Admit | m.Deny | m.AdmitAll) -> dict[str, Any]:
        """What the REST routes do too: the services check the role in the database and
        tell those concerned (the hub tells the room of `room.ended`; the lobby tells the
        leaders, `lobby_waiting`, and the person waiting)."""
        lobby, room = self._context.rooms.lobby, str(self.room_id)
        match message:
            case m.EndRoom():
                await self._context.rooms.end(self.principal, room)
            case m.Admit(data=data):
                await lobby.admit(self.principal, room, data.user_id)
            case m.Deny(data=data):
                await lobby.deny(self.principal, room, data.user_id)
            case m.AdmitAll():
                return {"admitted": await lobby.admit_all(self.principal, room)}
        return {}

    async def _remove(self, target: uuid.UUID) -> None:
        if target == self.user_id:
            raise Forbidden("Use leave_room to leave.", code="cannot_remove_self")
        await self._context.meetings.remove(self.room_id, target, self.user_id)
        await self._context.live.remove(self.room_id, target)
        await self._context.presence.remove(IN_MEETING, str(target))
        by = {"by": str(self.user_id)}
        await self._publish(event("removed", by), to=target)
        await self._publish(
            event("participant_left", {"user_id": str(target), "reason": "removed", **by})
        )

    async def _publish(
        self, payload: dict[str, Any], to: uuid.UUID | None = None, connection: str | None = None
    ) -> None:
        message = BusMessage(payload, None if to is None else str(to), connection)
        await self._context.publish(self.room_id, message)
