"""/api/v1/dev: tools for developers, present only outside production."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from rapat.api.deps import BearerCredentials, ServicesDep, get_principal
from rapat.api.error_docs import errors
from rapat.api.state import ApiServices
from rapat.domain.errors import NotFound
from rapat.mail.dev_mailbox import DevMailbox

router = APIRouter(prefix="/dev", tags=["development"])


class MailOut(BaseModel):
    id: str
    to: str
    subject: str
    text: str
    html: str | None
    created_at: datetime


class MailboxStatus(BaseModel):
    """Which mail the development mailbox shows: the caller's own (signed in) or all."""

    shows: Literal["own", "all"]


def _mailbox_of(services: ApiServices) -> DevMailbox:
    if services.dev_mailbox is None:
        raise NotFound("There is no development mailbox here.")
    return services.dev_mailbox


def _address(to: str) -> str:
    return parseaddr(to)[1].casefold()


@router.get(
    "/mailbox/status",
    summary="Whether this server keeps mail in a development mailbox, and whose it shows",
    responses=errors(404),
)
async def mailbox_status(services: ServicesDep) -> MailboxStatus:
    _mailbox_of(services)
    return MailboxStatus(shows="all" if services.dev_mailbox_show_all else "own")


@router.get(
    "/mailbox",
    summary="Mail kept by the development mailbox, newest first: the caller's own, "
    "or everyone's when the server runs for one person (RAPAT_DEV_MAILBOX_SHOW_ALL)",
    responses=errors(401, 404, 429),
)
async def mailbox(
    request: Request,
    response: Response,
    services: ServicesDep,
    credentials: BearerCredentials,
) -> list[MailOut]:
    box = _mailbox_of(services)
    only: str | None = None
    # A token sent is checked even when anyone may read (a forged one is refused anyway).
    if credentials is not None or not services.dev_mailbox_show_all:
        principal = await get_principal(request, response, services, credentials)
        if not services.dev_mailbox_show_all:
            # Anyone could otherwise read another person's verification or reset link.
            only = (await services.users.profile.get(principal)).email.casefold()
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
        for mail in box.messages()
        if only is None or _address(mail.to) == only
    ]
