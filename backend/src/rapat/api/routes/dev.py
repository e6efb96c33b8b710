"""/api/v1/dev: tools for developers, present only outside production."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from rapat.api.deps import ServicesDep
from rapat.api.error_docs import errors
from rapat.domain.errors import NotFound

router = APIRouter(prefix="/dev", tags=["development"])


class MailOut(BaseModel):
    id: str
    to: str
    subject: str
    text: str
    html: str | None
    created_at: datetime


@router.get(
    "/mailbox",
    summary="Mail kept by the development mailbox, newest first",
    responses=errors(404),
)
async def mailbox(services: ServicesDep) -> list[MailOut]:
    if services.dev_mailbox is None:
        raise NotFound("There is no development mailbox here.")
    await services.outbox.drain()  # what was queued a moment ago is there to read
    return [
        MailOut(
            id=mail.id,
            to=mail.to,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            created_at=mail.created_at,
        )
        for mail in services.dev_mailbox.messages()
    ]
