"""/api/v1/users: the caller's profile, picture, password, contacts, search and settings,
and everyone's pictures (public, so <img> tags work without a token)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from rapat.api.deps import CurrentPrincipal, ServicesDep, get_principal
from rapat.api.error_docs import SIGNED_IN, WITH_BODY, errors
from rapat.api.errors import error_response
from rapat.api.rate_limit import rate_limit
from rapat.api.schemas.auth import UserOut
from rapat.api.schemas.users import (
    SEARCH_MAX_LIMIT,
    SEARCH_MAX_OFFSET,
    ContactIn,
    ContactOut,
    PasswordChangeIn,
    ProfileIn,
    PublicUserOut,
    SearchQuery,
    SettingsIn,
    SettingsOut,
    UserSearchPage,
)
from rapat.services.avatar_images import (
    MAX_INPUT_BYTES,
    ImageTooLarge,
    UnsupportedImage,
)

router = APIRouter(prefix="/users", tags=["users"])

# Per user. Search lists people, so it is kept well below what enumerating them would take;
# typing with a debounce stays far under it.
SEARCH_RATE = "60/minute;600/hour"
# Per user: a wrong current password is a guess, counted like sign-in attempts.
PASSWORD_CHANGE_RATE = "5/minute;20/hour"  # noqa: S105 (a rate, not a password)
# Per user: every upload is decoded and re-encoded.
AVATAR_UPLOAD_RATE = "10/minute;60/hour"

# A picture's URL carries its version; that exact URL never changes content.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
# Without the version (or an old one) the answer may change at any moment.
SHORT_CACHE = "public, max-age=60"


def _limited(scope: str, rate: str) -> list[Any]:
    # The caller is resolved first so the limit counts per user (dependencies are cached).
    return [Depends(get_principal), Depends(rate_limit(scope, rate, by="user"))]


# Every service here checks the account is still active (403 when it is disabled).
ACCOUNT = (*SIGNED_IN, 403)


@router.get("/profile", responses=errors(*ACCOUNT))
async def get_profile(principal: CurrentPrincipal, services: ServicesDep) -> UserOut:
    return UserOut.of(await services.users.profile.get(principal))


@router.put("/profile", responses=errors(*ACCOUNT, *WITH_BODY))
async def update_profile(
    body: ProfileIn, principal: CurrentPrincipal, services: ServicesDep
) -> UserOut:
    user = await services.users.profile.update(
        principal, first_name=body.first_name, last_name=body.last_name
    )
    return UserOut.of(user)


@router.put(
    "/profile/avatar",
    response_model=UserOut,
    responses=errors(*ACCOUNT, 409, 415, 503, *WITH_BODY),
    dependencies=_limited("users.avatar", AVATAR_UPLOAD_RATE),
)
async def upload_avatar(
    file: Annotated[UploadFile, File(description="PNG, JPEG or WebP, at most 2 MiB")],
    request: Request,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> UserOut | JSONResponse:
    # One byte over the limit is enough to know it is too large.
    upload = await file.read(MAX_INPUT_BYTES + 1)
    try:
        user = await services.users.avatars.replace(principal, upload)
    except (UnsupportedImage, ImageTooLarge) as exc:
        return _image_refused(request, exc)
    return UserOut.of(user)


def _image_refused(request: Request, exc: UnsupportedImage | ImageTooLarge) -> JSONResponse:
    """413 or 415: statuses the shared error mapping has no class for."""
    too_large = isinstance(exc, ImageTooLarge)
    code = (
        status.HTTP_413_CONTENT_TOO_LARGE if too_large else status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    )
    # Limited routes send their X-RateLimit-* headers on errors too.
    headers = getattr(request.state, "rate_limit_headers", None)
    return error_response(code, exc.code, exc.message, headers=headers)


@router.delete("/profile/avatar", responses=errors(*ACCOUNT))
async def delete_avatar(principal: CurrentPrincipal, services: ServicesDep) -> UserOut:
    return UserOut.of(await services.users.avatars.remove(principal))


@router.get(
    "/{user_id}/avatar",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "The picture"},
        304: {"description": "Not modified: `If-None-Match` names the current version"},
        **errors(404, 422),
    },
)
async def get_avatar(
    user_id: uuid.UUID,
    request: Request,
    services: ServicesDep,
    v: Annotated[int | None, Query(description="The version from avatar_url")] = None,
) -> Response:
    avatar = await services.users.avatars.get(user_id)
    etag = f'"{avatar.version}"'
    headers = {
        "Cache-Control": IMMUTABLE_CACHE if v == avatar.version else SHORT_CACHE,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(avatar.data, media_type=avatar.content_type, headers=headers)


@router.put(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(*ACCOUNT, *WITH_BODY),
    dependencies=_limited("users.password", PASSWORD_CHANGE_RATE),
)
async def change_password(
    body: PasswordChangeIn, principal: CurrentPrincipal, services: ServicesDep
) -> None:
    await services.users.profile.change_password(
        principal, body.current_password, body.new_password
    )


@router.get("/contacts", responses=errors(*ACCOUNT))
async def list_contacts(principal: CurrentPrincipal, services: ServicesDep) -> list[ContactOut]:
    return [ContactOut.of(view) for view in await services.users.contacts.list_contacts(principal)]


@router.post(
    "/contacts",
    status_code=status.HTTP_201_CREATED,
    responses=errors(*ACCOUNT, 404, 409, *WITH_BODY),
)
async def add_contact(
    body: ContactIn, principal: CurrentPrincipal, services: ServicesDep
) -> ContactOut:
    return ContactOut.of(await services.users.contacts.add_contact(principal, body.user_id))


@router.delete(
    "/contacts/{contact_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(*ACCOUNT, 404, 422),
)
async def remove_contact(
    contact_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> None:
    await services.users.contacts.remove_contact(principal, contact_id)


@router.get(
    "/search",
    responses=errors(*ACCOUNT, 422),
    dependencies=_limited("users.search", SEARCH_RATE),
)
async def search_users(
    q: Annotated[SearchQuery, Query(description="Start of a name, or a whole email address")],
    principal: CurrentPrincipal,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=SEARCH_MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=SEARCH_MAX_OFFSET)] = 0,
) -> UserSearchPage:
    """People who let anyone find them (the `discoverable` setting) and the caller's contacts.
    Anyone else, and an address no account has, give the same empty page."""
    page = await services.users.contacts.search(principal, q, limit=limit, offset=offset)
    return UserSearchPage(
        items=[PublicUserOut.of(user) for user in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


@router.get("/settings", responses=errors(*ACCOUNT))
async def get_settings(principal: CurrentPrincipal, services: ServicesDep) -> SettingsOut:
    return SettingsOut(settings=await services.users.settings.get(principal))


@router.put("/settings", responses=errors(*ACCOUNT, *WITH_BODY))
async def update_settings(
    body: SettingsIn, principal: CurrentPrincipal, services: ServicesDep
) -> SettingsOut:
    return SettingsOut(settings=await services.users.settings.update(principal, body.settings))
