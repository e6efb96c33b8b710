"""/api/v1/rooms/{id}/lobby: the waiting room of a room with `lobby_enabled` (decision 59).
Hosts and moderators list, admit and deny; the person waiting looks at their place (which
keeps it) or gives it up. The same admit and deny exist over the meeting socket."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from rapat.api.deps import CurrentPrincipal, ServicesDep
from rapat.api.error_docs import SIGNED_IN, errors
from rapat.api.schemas.lobby import AdmittedOut, LobbyStatusOut, WaitingOut

router = APIRouter(prefix="/rooms", tags=["lobby"], responses=errors(*SIGNED_IN))


@router.get(
    "/{room_id}/lobby",
    responses=errors(403, 404, 409, 422),
    summary="Who waits to be let in, longest first (hosts and moderators)",
)
async def list_waiting(
    room_id: str, principal: CurrentPrincipal, services: ServicesDep
) -> list[WaitingOut]:
    entries = await services.rooms.lobby.waiting(principal, room_id)
    return [WaitingOut.of(entry) for entry in entries]


@router.post(
    "/{room_id}/lobby/admit-all",
    responses=errors(403, 404, 409, 422),
    summary="Let everyone waiting in (hosts and moderators)",
)
async def admit_all(
    room_id: str, principal: CurrentPrincipal, services: ServicesDep
) -> AdmittedOut:
    admitted = await services.rooms.lobby.admit_all(principal, room_id)
    return AdmittedOut(admitted=[uuid.UUID(user_id) for user_id in admitted])


@router.get(
    "/{room_id}/lobby/me",
    responses=errors(404, 422),
    summary="Where the caller stands in the lobby; looking keeps a waiting place",
)
async def my_place(
    room_id: str, principal: CurrentPrincipal, services: ServicesDep
) -> LobbyStatusOut:
    return LobbyStatusOut.of(await services.rooms.lobby.status(principal, room_id))


@router.delete(
    "/{room_id}/lobby/me",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(404, 422),
    summary="Stop waiting",
)
async def stop_waiting(room_id: str, principal: CurrentPrincipal, services: ServicesDep) -> None:
    await services.rooms.lobby.leave(principal, room_id)


@router.post(
    "/{room_id}/lobby/{user_id}/admit",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(403, 404, 409, 422),
    summary="Let one waiting person in (hosts and moderators)",
)
async def admit(
    room_id: str, user_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> None:
    await services.rooms.lobby.admit(principal, room_id, user_id)


@router.post(
    "/{room_id}/lobby/{user_id}/deny",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(403, 404, 409, 422),
    summary="Turn one waiting person away (hosts and moderators)",
)
async def deny(
    room_id: str, user_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> None:
    await services.rooms.lobby.deny(principal, room_id, user_id)
