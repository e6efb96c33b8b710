"""Who is asking."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: the user and the sign-in session (family) of their token."""

    user_id: uuid.UUID
    session_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Where a request came from, recorded on sign-in sessions."""

    ip_address: str | None
    user_agent: str | None
