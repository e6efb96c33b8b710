"""The account behind an authenticated request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from rapat.domain.errors import Forbidden, Unauthenticated
from rapat.domain.identity import Principal
from rapat.storage.models import User
from rapat.storage.repositories import users as user_rows
from rapat.storage.scope import act_for


def act_as(principal: Principal) -> None:
    """This task's transactions act for `principal`: on PostgreSQL, row-level security
    shows them only the messages, participants and history of their rooms (decision 46).
    The edges call it once, where a request or a connection is authenticated."""
    act_for(principal.user_id)


async def require_user(session: AsyncSession, principal: Principal) -> User:
    """The caller's account; a token may outlive it (deleted, or disabled since sign-in)."""
    user = await user_rows.get(session, principal.user_id)
    if user is None:
        raise Unauthenticated("Sign in to continue.")
    if user.status != "active":
        raise Forbidden("This account is disabled.", code="account_disabled")
    return user
