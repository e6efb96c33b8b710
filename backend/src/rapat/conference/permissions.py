"""What a participant may do in a live meeting: the permission table of their role,
narrowed by the room's settings (chat and screen sharing can be turned off; moderators
record only where the room lets them)."""

from __future__ import annotations

from rapat.domain.errors import Forbidden
from rapat.domain.permissions import Action, Role, allowed_by_settings
from rapat.services.room_settings import RoomSettings


def check_allowed(role: Role, action: Action, settings: RoomSettings) -> None:
    """Raise `Forbidden` when someone with this role may not do this in this room."""
    if not allowed_by_settings(
        role,
        action,
        allow_chat=settings.allow_chat,
        allow_screen=settings.allow_screen_share,
        moderators_record=settings.recording_permission == "hosts_and_moderators",
    ):
        raise Forbidden(
            "You are not allowed to do that in this room.",
            code="not_allowed",
            details={"action": action.value},
        )
