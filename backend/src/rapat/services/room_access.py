"""Finding a room by reference and checking what the caller may do in it: shared by the
room services (rooms, bans) so each refuses the same way."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from rapat.domain.errors import Forbidden, NotFound
from rapat.domain.identity import Principal
from rapat.domain.permissions import Action, Role, allowed
from rapat.storage.models import Room
from rapat.storage.repositories import rooms as room_rows


async def find_room(session: AsyncSession, reference: str, *, lock: bool = False) -> Room:
    """The room with this id or meeting code; `NotFound` otherwise."""
    room = await room_rows.find(session, reference, lock=lock)
    if room is None:
        raise NotFound("No such room.", code="room_not_found")
    return room


async def role_in(session: AsyncSession, room: Room, principal: Principal) -> Role | None:
    """The caller's role in the room; None for someone who is not a member."""
    member = await room_rows.participant(session, room.id, principal.user_id)
    if member is not None:
        return Role(member.role)
    return Role.HOST if room.host_id == principal.user_id else None


async def require(session: AsyncSession, room: Room, principal: Principal, action: Action) -> Role:
    """The caller's role, when it allows `action`; `Forbidden` otherwise."""
    role = await role_in(session, room, principal)
    if role is None or not allowed(role, action):
        raise Forbidden(
            "You are not allowed to do that in this room.",
            code="not_allowed",
            details={"action": action.value},
        )
    return role
