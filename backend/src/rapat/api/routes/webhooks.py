"""/api/v1/webhooks: room hosts register receivers for room events and read every
delivery attempt."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from rapat.api.deps import CurrentPrincipal, ServicesDep
from rapat.api.error_docs import SIGNED_IN, WITH_BODY, errors
from rapat.api.pagination import Limit, Offset
from rapat.api.schemas.webhooks import (
    DeliveryOut,
    DeliveryPage,
    WebhookCreatedOut,
    WebhookIn,
    WebhookOut,
)

# Signed-in callers only; each service checks the account is still active (403).
router = APIRouter(prefix="/webhooks", tags=["webhooks"], responses=errors(*SIGNED_IN, 403))


@router.post("", status_code=status.HTTP_201_CREATED, responses=errors(404, *WITH_BODY))
async def create_webhook(
    body: WebhookIn, principal: CurrentPrincipal, services: ServicesDep
) -> WebhookCreatedOut:
    created = await services.webhooks.register(
        principal,
        url=body.url,
        events=list(body.events),
        room_reference=body.room_id,
        secret=body.secret,
    )
    return WebhookCreatedOut.created(created)


@router.get("")
async def list_webhooks(principal: CurrentPrincipal, services: ServicesDep) -> list[WebhookOut]:
    return [WebhookOut.of(hook) for hook in await services.webhooks.owned(principal)]


@router.get("/{webhook_id}", responses=errors(404, 422))
async def get_webhook(
    webhook_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> WebhookOut:
    return WebhookOut.of(await services.webhooks.get(principal, webhook_id))


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(404, 422))
async def delete_webhook(
    webhook_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> None:
    await services.webhooks.delete(principal, webhook_id)


@router.get(
    "/{webhook_id}/deliveries",
    summary="Deliveries, newest first, with every attempt",
    responses=errors(404, 422),
)
async def list_deliveries(
    webhook_id: uuid.UUID,
    principal: CurrentPrincipal,
    services: ServicesDep,
    limit: Limit = 20,
    offset: Offset = 0,
) -> DeliveryPage:
    views, total = await services.webhooks.deliveries(
        principal, webhook_id, limit=limit, offset=offset
    )
    return DeliveryPage(
        items=[DeliveryOut.of(view) for view in views], total=total, limit=limit, offset=offset
    )
