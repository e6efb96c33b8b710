"""/api/v1/rooms: rooms, meetings in them, their people, history, messages and settings."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from rapat.api.deps import CurrentPrincipal, ServicesDep, get_principal
from rapat.api.error_docs import SIGNED_IN, WITH_BODY, errors
from rapat.api.pagination import Limit, Offset
from rapat.api.rate_limit import rate_limit
from rapat.api.schemas.lobby import JoinWaitingOut
from rapat.api.schemas.rooms import (
    BanOut,
    HistoryOut,
    HistoryPage,
    JoinIn,
    JoinOut,
    MessageOut,
    MessagePageOut,
    ParticipantOut,
    RoleIn,
    RoomCreateIn,
    RoomOut,
    RoomPage,
    RoomSettingsOut,
    RoomSettingsPatch,
    RoomUpdateIn,
    decode_cursor,
    encode_cursor,
)
from rapat.api.schemas.signaling import SignalingOut
from rapat.api.schemas.users import PublicUserOut
from rapat.domain.errors import Unavailable
from rapat.domain.permissions import Role
from rapat.services.rooms import Waiting

# Every route here needs a signed-in caller.
router = APIRouter(prefix="/rooms", tags=["rooms"], responses=errors(*SIGNED_IN))

# Guessing a room password takes many tries; a person mistyping it takes a few.
JOIN_RATE = "10/minute;60/hour"


@router.post("", status_code=status.HTTP_201_CREATED, responses=errors(409, *WITH_BODY))
async def create_room(
    body: RoomCreateIn, principal: CurrentPrincipal, services: ServicesDep
) -> RoomOut:
    fields = body.model_dump(exclude={"settings"})
    settings = body.settings.changes() if body.settings else None
    return RoomOut.of(await services.rooms.create(principal, fields, settings))


@router.get("", responses=errors(422))
async def list_rooms(
    principal: CurrentPrincipal,
    services: ServicesDep,
    scope: Literal["all", "hosted", "joined"] = "all",
    room_status: Annotated[
        Literal["active", "ended", "cancelled"] | None, Query(alias="status")
    ] = None,
    upcoming: bool = False,
    limit: Limit = 20,
    offset: Offset = 0,
) -> RoomPage:
    views, total = await services.rooms.list_rooms(
        principal, scope=scope, status=room_status, upcoming=upcoming, limit=limit, offset=offset
    )
    return RoomPage(
        items=[RoomOut.of(view) for view in views], total=total, limit=limit, offset=offset
    )


@router.get(
    "/history",
    summary="The caller's meetings across rooms, newest first",
    responses=errors(422),
)
async def my_history(
    principal: CurrentPrincipal, services: ServicesDep, limit: Limit = 20, offset: Offset = 0
) -> HistoryPage:
    views, total = await services.rooms.my_history(principal, limit, offset)
    return HistoryPage(
        items=[HistoryOut.of(v) for v in views], total=total, limit=limit, offset=offset
    )


@router.get("/{room_id}", responses=errors(404, 422))
async def get_room(room_id: str, principal: CurrentPrincipal, services: ServicesDep) -> RoomOut:
    return RoomOut.of(await services.rooms.get(principal, room_id))


@router.put("/{room_id}", responses=errors(403, 404, 409, *WITH_BODY))
async def update_room(
    room_id: str, body: RoomUpdateIn, principal: CurrentPrincipal, services: ServicesDep
) -> RoomOut:
    return RoomOut.of(await services.rooms.update(principal, room_id, body.changes()))


@router.delete(
    "/{room_id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(403, 404, 422)
)
async def delete_room(room_id: str, principal: CurrentPrincipal, services: ServicesDep) -> None:
    await services.rooms.delete(principal, room_id)


@router.post(
    "/{room_id}/join",
    responses={
        202: {"model": JoinWaitingOut, "description": "Waiting in the room's lobby"},
        **errors(403, 404, 409, *WITH_BODY),
    },
    dependencies=[Depends(get_principal), Depends(rate_limit("rooms.join", JOIN_RATE, by="user"))],
)
async def join_room(
    room_id: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    response: Response,
    body: JoinIn | None = None,
) -> JoinOut | JoinWaitingOut:
    body = body or JoinIn()
    result = await services.rooms.join(principal, room_id, body.password, body.as_observer)
    if isinstance(result, Waiting):  # a room with a lobby: wait to be let in (decision 59)
        response.status_code = status.HTTP_202_ACCEPTED
        return JoinWaitingOut.of(result)
    return JoinOut(room=RoomOut.of(result.room), participant=ParticipantOut.of(result.member))


@router.get(
    "/{room_id}/signaling",
    responses=errors(404, 422, 503),
    summary="Where to open the room's signaling WebSocket (ask before every connect)",
)
async def room_signaling(
    room_id: str, principal: CurrentPrincipal, services: ServicesDep
) -> SignalingOut:
    view = await services.rooms.get(principal, room_id)  # 404 for a room one cannot see
    if services.placement is None:
        return SignalingOut(url=None, node=None)
    # The room's home (the least loaded node, for a new room), or another node while the
    # home is full (the nodes relay the room's media): the client connects there.
    home = await services.placement.place_participant(view.room.id, str(principal.user_id))
    if home is None:
        raise Unavailable("No node takes new meetings now; try again shortly.", code="no_node")
    return SignalingOut(url=home.url, node=home.node_id)


@router.post(
    "/{room_id}/leave", status_code=status.HTTP_204_NO_CONTENT, responses=errors(404, 409, 422)
)
async def leave_room(room_id: str, principal: CurrentPrincipal, services: ServicesDep) -> None:
    await services.rooms.leave(principal, room_id)


@router.post("/{room_id}/end", responses=errors(403, 404, 409, 422))
async def end_room(room_id: str, principal: CurrentPrincipal, services: ServicesDep) -> RoomOut:
    return RoomOut.of(await services.rooms.end(principal, room_id))


@router.get("/{room_id}/participants", responses=errors(403, 404, 422))
async def list_participants(
    room_id: str, principal: CurrentPrincipal, services: ServicesDep, include_left: bool = False
) -> list[ParticipantOut]:
    views = await services.rooms.members(principal, room_id, include_left=include_left)
    return [ParticipantOut.of(view) for view in views]


@router.put("/{room_id}/participants/{user_id}", responses=errors(403, 404, 409, *WITH_BODY))
async def assign_role(
    room_id: str,
    user_id: uuid.UUID,
    body: RoleIn,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> ParticipantOut:
    view = await services.rooms.assign_role(principal, room_id, user_id, Role(body.role))
    return ParticipantOut.of(view)


@router.get(
    "/{room_id}/bans",
    responses=errors(403, 404, 422),
    summary="People removed from the room (hosts and moderators)",
)
async def list_bans(
    room_id: str, principal: CurrentPrincipal, services: ServicesDep
) -> list[BanOut]:
    return [BanOut.of(view) for view in await services.rooms.bans.list_bans(principal, room_id)]


@router.delete(
    "/{room_id}/bans/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(403, 404, 422),
    summary="Let a removed person join again",
)
async def lift_ban(
    room_id: str, user_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> None:
    await services.rooms.bans.lift(principal, room_id, user_id)


@router.get("/{room_id}/history", responses=errors(403, 404, 422))
async def room_history(
    room_id: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    limit: Limit = 20,
    offset: Offset = 0,
) -> HistoryPage:
    views, total = await services.rooms.room_history(principal, room_id, limit, offset)
    return HistoryPage(
        items=[HistoryOut.of(v) for v in views], total=total, limit=limit, offset=offset
    )


@router.get("/{room_id}/messages", responses=errors(403, 404, 422))
async def room_messages(
    room_id: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    before: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
) -> MessagePageOut:
    page = await services.rooms.messages(principal, room_id, decode_cursor(before), limit)
    return MessagePageOut(
        items=[
            MessageOut(
                id=message.id,
                user=PublicUserOut.of(author) if author is not None else None,
                message=message.message,
                message_type=message.message_type,
                created_at=message.created_at,
            )
            for message, author in page.items
        ],
        next_cursor=encode_cursor(page.next_cursor),
    )


@router.get("/{room_id}/settings", responses=errors(403, 404, 422))
async def get_room_settings(
    room_id: str, principal: CurrentPrincipal, services: ServicesDep
) -> RoomSettingsOut:
    settings = await services.rooms.settings(principal, room_id)
    return RoomSettingsOut.model_validate(settings.model_dump())


@router.put("/{room_id}/settings", responses=errors(403, 404, *WITH_BODY))
async def update_room_settings(
    room_id: str, body: RoomSettingsPatch, principal: CurrentPrincipal, services: ServicesDep
) -> RoomSettingsOut:
    settings = await services.rooms.update_settings(principal, room_id, body.changes())
    return RoomSettingsOut.model_validate(settings.model_dump())


@router.get(
    "/{room_id}/invite.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **errors(404, 409, 422)},
)
async def invitation(room_id: str, principal: CurrentPrincipal, services: ServicesDep) -> Response:
    text, filename = await services.rooms.invitation(principal, room_id)
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
