"""Dependencies routes declare with `Annotated` aliases: services, the caller, the client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rapat.api.rate_limit import rate_limit
from rapat.api.state import ApiServices, app_state
from rapat.domain.errors import Unauthenticated, Unavailable
from rapat.domain.identity import ClientInfo, Principal
from rapat.services.current_user import act_as
from rapat.services.presence import mark_online


@lru_cache(maxsize=4)
def _api_limit(rate: str) -> Callable[[Request, Response], Awaitable[None]]:
    """The dependency counting the API as a whole, built once per rate, not per request."""
    return rate_limit("api", rate, by="user")


_bearer = HTTPBearer(auto_error=False, description="The access token from /auth/login.")


def get_services(request: Request) -> ApiServices:
    services = app_state(request.app).services
    if services is None:
        raise Unavailable("The server is starting; try again in a moment.")
    return services


ServicesDep = Annotated[ApiServices, Depends(get_services)]


# The bearer token if one was sent; for a route that decides itself whether it needs one.
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def get_principal(
    request: Request,
    response: Response,
    services: ServicesDep,
    credentials: BearerCredentials,
) -> Principal:
    if credentials is None:
        raise Unauthenticated("Sign in to continue.", code="not_authenticated")
    principal = await services.auth.authenticate(credentials.credentials)
    act_as(principal)  # the request's database work sees only this user's rooms
    # Rate limits count per user once the caller is known: the API as a whole here, and a
    # route's own limit (if any) after this.
    request.state.user_id = str(principal.user_id)
    await _api_limit(app_state(request.app).api_rate)(request, response)
    await mark_online(services.presence, principal.user_id)  # contacts see who is around
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def get_client_info(request: Request) -> ClientInfo:
    return ClientInfo(
        ip_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


Client = Annotated[ClientInfo, Depends(get_client_info)]
