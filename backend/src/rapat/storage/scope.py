"""Whom a transaction acts for, told to PostgreSQL so row-level security can apply it.

Migration 0005 lets a session see the rows of `room_messages`, `room_participants` and
`meeting_history` only for the rooms of `rapat.user_id`, or all of them when `rapat.scope`
is `system` (decision 46). Every transaction a session factory from here begins sets both
with `set_config(..., true)` (that is `SET LOCAL`: gone at commit or rollback), so a query
that forgot its own `WHERE room_id = ...` still cannot read another room.

The scope comes from, in order: the factory's fixed scope (background work is built with
`SYSTEM`), else the task's scope set by `act_for` at the edge that authenticated the
caller, else `NOBODY`, which sees none of those rows. SQLite has no row security; nothing
is sent there.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

_SET_SCOPE = text(
    "SELECT set_config('rapat.user_id', :user_id, true), set_config('rapat.scope', :scope, true)"
)
_FIXED = "rapat.db_scope"


@dataclass(frozen=True, slots=True)
class DbScope:
    """Whom the database should think is asking: one user, the system, or nobody."""

    user_id: uuid.UUID | None = None
    system: bool = False

    def settings(self) -> dict[str, str]:
        """The values of `rapat.user_id` and `rapat.scope`; empty means unset."""
        return {
            "user_id": "" if self.user_id is None else str(self.user_id),
            "scope": "system" if self.system else ("user" if self.user_id else ""),
        }


NOBODY = DbScope()
SYSTEM = DbScope(system=True)

_current: ContextVar[DbScope] = ContextVar("rapat_db_scope", default=NOBODY)


def act_for(user_id: uuid.UUID) -> None:
    """From here on, this task's transactions act for `user_id`.

    Called once where a request or connection is authenticated; each request and each
    WebSocket runs in its own task, and tasks it starts inherit the scope.
    """
    _current.set(DbScope(user_id=user_id))


def current_scope() -> DbScope:
    return _current.get()


def create_scoped_session_factory(
    engine: AsyncEngine, *, fixed: DbScope | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions that tell PostgreSQL their scope at the start of every transaction.

    `fixed` pins the scope for every session of the factory (background work: jobs, the
    signaling hub storing chat of members it admitted, reminders).
    """

    class ScopedSession(Session):
        pass

    event.listen(ScopedSession, "after_begin", _apply_scope)
    info: dict[str, Any] = {} if fixed is None else {_FIXED: fixed}
    # Objects stay readable after commit; reloading them lazily would need I/O in async code.
    return async_sessionmaker(
        engine, expire_on_commit=False, sync_session_class=ScopedSession, info=info
    )


@asynccontextmanager
async def as_system(session: AsyncSession) -> AsyncIterator[None]:
    """The statements inside see every room's rows, then the scope is restored.

    For the few reads that must see a room the caller is not (yet) in: the seats taken
    when someone joins, the head count shown before joining. Keep these blocks short and
    filtered by room.
    """
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    await session.execute(_SET_SCOPE, SYSTEM.settings())
    yield
    # Not on error: the transaction is rolled back then, and SET LOCAL with it.
    await session.execute(_SET_SCOPE, _scope_of(session.sync_session).settings())


def _scope_of(session: Session) -> DbScope:
    fixed = session.info.get(_FIXED)
    return fixed if isinstance(fixed, DbScope) else _current.get()


def _apply_scope(
    session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(_SET_SCOPE, _scope_of(session).settings())
