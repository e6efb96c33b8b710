"""/api/v1/rooms/{room_id}/invitations: hosts and moderators invite people to a meeting
(a notification, and an email with the `.ics` file for scheduled meetings)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from rapat.api.deps import CurrentPrincipal, ServicesDep, get_principal
from rapat.api.error_docs import SIGNED_IN, WITH_BODY, errors
from rapat.api.rate_limit import rate_limit
from rapat.api.schemas.notifications import InvitationIn, InvitationOut

router = APIRouter(prefix="/rooms", tags=["rooms"])

# Per user: each invitation may send an email.
INVITE_RATE = "30/minute;300/hour"


@router.post(
    "/{room_id}/invitations",
    responses=errors(*SIGNED_IN, 403, 404, 409, *WITH_BODY),
    dependencies=[
        Depends(get_principal),
        Depends(rate_limit("rooms.invite", INVITE_RATE, by="user")),
    ],
)
async def invite(
    room_id: str, body: InvitationIn, principal: CurrentPrincipal, services: ServicesDep
) -> InvitationOut:
    invited = await services.invitations.invite(principal, room_id, body.user_ids)
    return InvitationOut(invited=invited)
