"""Which action each signaling request is; whether the member may take it is the
conference's rule (`conference/permissions.py`)."""

from __future__ import annotations

from pydantic import BaseModel

from rapat.conference import permissions
from rapat.domain.permissions import Action, Role
from rapat.services.room_settings import RoomSettings
from rapat.signaling import messages as m

_ALWAYS_NEEDS: dict[type[BaseModel], Action] = {
    m.Chat: Action.CHAT,
    m.Offer: Action.VIEW_MEMBERS,
    m.Answer: Action.VIEW_MEMBERS,
    m.IceCandidate: Action.VIEW_MEMBERS,
    m.Recording: Action.RECORD,
    m.MuteParticipant: Action.MODERATE,
    m.RemoveParticipant: Action.MODERATE,
    m.Spotlight: Action.MODERATE,
    m.EndRoom: Action.END,
    m.Admit: Action.ADMIT,
    m.Deny: Action.ADMIT,
    m.AdmitAll: Action.ADMIT,
}


def required_action(message: m.ClientMessage) -> Action | None:
    """The action a message needs, or None when every member may send it. Turning
    something off (mute, camera off, screen share, lowering a hand) is always allowed."""
    match message:
        case m.Mute(data=m.MutedData(muted=False)) | m.Video(data=m.EnabledData(enabled=True)):
            return Action.PUBLISH_MEDIA
        case m.ScreenShare(data=m.ScreenData(active=True)):
            return Action.SHARE_SCREEN
        case m.Offer(data=m.SdpData(to=None)):
            return Action.PUBLISH_MEDIA  # an offer to the SFU publishes
        case _:
            return _ALWAYS_NEEDS.get(type(message))


def check_allowed(role: Role, message: m.ClientMessage, settings: RoomSettings) -> None:
    """Raise `Forbidden` when this member may not send this message in this room."""
    action = required_action(message)
    if action is not None:
        permissions.check_allowed(role, action, settings)
