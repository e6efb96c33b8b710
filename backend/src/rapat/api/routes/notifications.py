"""/api/v1/notifications: the caller's in-app notifications (also pushed live on /ws/user)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from rapat.api.deps import CurrentPrincipal, ServicesDep
from rapat.api.error_docs import SIGNED_IN, errors
from rapat.api.pagination import Limit, Offset
from rapat.api.schemas.notifications import (
    MarkedReadOut,
    NotificationOut,
    NotificationPage,
    UnreadCountOut,
)

# Signed-in callers only; each service checks the account is still active (403).
router = APIRouter(
    prefix="/notifications", tags=["notifications"], responses=errors(*SIGNED_IN, 403)
)


@router.get("", summary="The caller's notifications, newest first", responses=errors(422))
async def list_notifications(
    principal: CurrentPrincipal,
    services: ServicesDep,
    unread: Annotated[bool, Query(description="Only the unread ones")] = False,
    limit: Limit = 20,
    offset: Offset = 0,
) -> NotificationPage:
    page = await services.notifications.list(
        principal, unread_only=unread, limit=limit, offset=offset
    )
    return NotificationPage(
        items=[NotificationOut.of(row) for row in page.items],
        total=page.total,
        unread=page.unread,
        limit=limit,
        offset=offset,
    )


@router.get("/unread-count")
async def unread_count(principal: CurrentPrincipal, services: ServicesDep) -> UnreadCountOut:
    return UnreadCountOut(unread=await services.notifications.unread_count(principal))


@router.post("/read", summary="Mark every notification read")
async def mark_all_read(principal: CurrentPrincipal, services: ServicesDep) -> MarkedReadOut:
    marked = await services.notifications.mark_all_read(principal)
    return MarkedReadOut(marked=marked, unread=0)


@router.post(
    "/{notification_id}/read", summary="Mark one notification read", responses=errors(404, 422)
)
async def mark_read(
    notification_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> NotificationOut:
    return NotificationOut.of(await services.notifications.mark_read(principal, notification_id))
