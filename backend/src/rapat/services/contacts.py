"""Contacts and finding people: the caller's list with live presence, and user search."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Conflict, InvalidInput, NotFound
from rapat.domain.identity import Principal
from rapat.domain.presence import PresenceState
from rapat.observability.logging import get_logger
from rapat.services.current_user import require_user
from rapat.services.ports import Presence
from rapat.services.presence import presence_states
from rapat.storage.models import User, UserContact
from rapat.storage.repositories import contacts as contact_rows
from rapat.storage.repositories import search as search_rows
from rapat.storage.repositories import users as user_rows
from rapat.storage.repositories.search import UserPage
from rapat.storage.uow import UnitOfWork

# Told (adder, added) after a contact is stored: the added person gets a notification.
ContactAdded = Callable[[uuid.UUID, uuid.UUID], Awaitable[None]]

_log = get_logger("rapat.contacts")


@dataclass(frozen=True, slots=True)
class ContactView:
    user: User
    presence: PresenceState
    added_at: datetime


def _already_contact() -> Conflict:
    return Conflict("This person is already one of your contacts.", code="already_contact")


class ContactService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        presence: Presence,
        on_added: ContactAdded | None = None,
    ) -> None:
        self._sessions = sessions
        self._presence = presence
        self._on_added = on_added

    async def list_contacts(self, principal: Principal) -> list[ContactView]:
        async with self._sessions() as session:
            await require_user(session, principal)
            rows = await contact_rows.list_active(session, principal.user_id)
        states = await presence_states(self._presence, (user.id for _, user in rows))
        return [
            ContactView(user=user, presence=states[user.id], added_at=contact.created_at)
            for contact, user in rows
        ]

    async def add_contact(self, principal: Principal, contact_id: uuid.UUID) -> ContactView:
        if contact_id == principal.user_id:
            raise InvalidInput("You cannot add yourself as a contact.", code="cannot_add_self")
        try:
            async with UnitOfWork(self._sessions) as uow:
                await require_user(uow.session, principal)
                other = await user_rows.get(uow.session, contact_id)
                # Disabled accounts look the same as unknown ones.
                if other is None or other.status != "active":
                    raise NotFound("No such user.", code="user_not_found")
                if await contact_rows.exists(uow.session, principal.user_id, contact_id):
                    raise _already_contact()
                contact = UserContact(user_id=principal.user_id, contact_id=contact_id)
                uow.session.add(contact)
                await uow.session.flush()
        except IntegrityError:  # the same contact added by a concurrent request
            raise _already_contact() from None
        if self._on_added is not None:
            try:
                await self._on_added(principal.user_id, contact_id)
            except Exception:  # the contact is stored; a lost notice must not fail the request
                _log.exception("contact_added_notice_failed", contact_id=str(contact_id))
        states = await presence_states(self._presence, [other.id])
        return ContactView(user=other, presence=states[other.id], added_at=contact.created_at)

    async def remove_contact(self, principal: Principal, contact_id: uuid.UUID) -> None:
        async with UnitOfWork(self._sessions) as uow:
            await require_user(uow.session, principal)
            if not await contact_rows.remove(uow.session, principal.user_id, contact_id):
                raise NotFound("This person is not one of your contacts.", code="contact_not_found")

    async def search(
        self, principal: Principal, query: str, *, limit: int, offset: int
    ) -> UserPage:
        """Active people other than the caller, who let anyone find them or are the caller's
        contacts, whose name starts with `query` or whose email is `query`. Someone hidden
        and no one at all give the same empty page."""
        async with self._sessions() as session:
            await require_user(session, principal)
            return await search_rows.findable_users(
                session, query, searcher=principal.user_id, limit=limit, offset=offset
            )
