"""WebSocket close codes, and the one function that maps domain errors to them."""

from __future__ import annotations

from rapat.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthenticated,
    Unavailable,
)

NORMAL = 1000
INTERNAL_ERROR = 1011
TRY_AGAIN_LATER = 1013
BAD_REQUEST = 4400
UNAUTHORISED = 4401
FORBIDDEN = 4403  # not joined, banned, removed, or out after a room password change
NO_SUCH_ROOM = 4404
IDLE_TIMEOUT = 4408
ROOM_FULL = 4409
ROOM_ENDED = 4410
REPLACED = 4412  # the same person connected again to the same room
MISDIRECTED = 4421  # the room lives on another node: ask GET /rooms/{id}/signaling
TOO_MANY_REQUESTS = 4429
SLOW_CONSUMER = 4503  # the client did not read its messages fast enough

_ENDED_CODES = frozenset({"room_ended", "room_cancelled"})


_BY_KIND: tuple[tuple[type[DomainError], int], ...] = (
    (Unauthenticated, UNAUTHORISED),
    (Forbidden, FORBIDDEN),
    (NotFound, NO_SUCH_ROOM),
    (InvalidInput, BAD_REQUEST),
    (RateLimited, TOO_MANY_REQUESTS),
    (Unavailable, TRY_AGAIN_LATER),
)


def close_code_for(error: DomainError) -> int:
    """The close code a refusal ends a connection with."""
    if isinstance(error, Conflict):
        return ROOM_ENDED if error.code in _ENDED_CODES else ROOM_FULL
    for kind, code in _BY_KIND:
        if isinstance(error, kind):
            return code
    return INTERNAL_ERROR
