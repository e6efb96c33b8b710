"""/api/v1/rtc: what a signed-in client needs to set up its peer connection."""

from __future__ import annotations

from fastapi import APIRouter, Response

from rapat.api.deps import CurrentPrincipal
from rapat.api.error_docs import SIGNED_IN, errors
from rapat.api.schemas.rtc import IceServersOut
from rapat.config import TurnConfig
from rapat.services.turn import IceServerIssuer


def create_router(config: TurnConfig) -> APIRouter:
    """The router closes over its configuration section: no service state is needed."""
    issuer = IceServerIssuer(config)
    router = APIRouter(prefix="/rtc", tags=["rtc"], responses=errors(*SIGNED_IN))

    @router.get(
        "/ice-servers",
        summary="STUN/TURN servers for RTCConfiguration.iceServers, with a fresh TURN credential",
    )
    async def ice_servers(principal: CurrentPrincipal, response: Response) -> IceServersOut:
        # A credential is personal and short-lived: no cache may keep or share it.
        response.headers["Cache-Control"] = "no-store"
        return IceServersOut.of(issuer.issue(str(principal.user_id)))

    return router
