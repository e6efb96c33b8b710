"""Who may do what in a room: the one table every edge (HTTP, signaling) consults."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    HOST = "host"
    MODERATOR = "moderator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


class Action(StrEnum):
    VIEW_MEMBERS = "view_members"  # participants, history, messages, settings
    CHAT = "chat"
    PUBLISH_MEDIA = "publish_media"
    SHARE_SCREEN = "share_screen"
    UPDATE = "update"
    END = "end"
    MODERATE = "moderate"  # mute or remove others
    RECORD = "record"
    CHANGE_SETTINGS = "change_settings"
    ASSIGN_ROLES = "assign_roles"
    DELETE = "delete"


_EVERY_MEMBER = frozenset(Role)
_SPEAKERS = frozenset({Role.HOST, Role.MODERATOR, Role.PARTICIPANT})
_LEADERS = frozenset({Role.HOST, Role.MODERATOR})
_HOST = frozenset({Role.HOST})

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VIEW_MEMBERS: _EVERY_MEMBER,
    Action.CHAT: _SPEAKERS,
    Action.PUBLISH_MEDIA: _SPEAKERS,
    Action.SHARE_SCREEN: _SPEAKERS,
    Action.UPDATE: _LEADERS,
    Action.END: _LEADERS,
    Action.MODERATE: _LEADERS,
    Action.RECORD: _LEADERS,  # moderators only where the room allows it (its settings)
    Action.CHANGE_SETTINGS: _HOST,
    Action.ASSIGN_ROLES: _HOST,
    Action.DELETE: _HOST,
}


def allowed(role: Role | None, action: Action) -> bool:
    """`role` is None for someone who is not a member of the room."""
    return role is not None and role in PERMISSIONS[action]


def allowed_by_settings(
    role: Role,
    action: Action,
    *,
    allow_chat: bool,
    allow_screen: bool,
    moderators_record: bool = False,
) -> bool:
    """Room settings narrow what participants may do, and whether moderators may record;
    hosts keep it all."""
    if not allowed(role, action):
        return False
    if action is Action.RECORD:
        return role is Role.HOST or moderators_record
    if role in _LEADERS:
        return True
    if action is Action.CHAT:
        return allow_chat
    if action is Action.SHARE_SCREEN:
        return allow_screen
    return True
