"""Which exceptions mean "the database cannot be reached right now" (stopped, restarting,
out of connections, the network to it broken), as opposed to a bug or a refused statement.

The HTTP edge answers these with 503 and `Retry-After` instead of 500; the pool recovers
by itself once the server is back (`pool_pre_ping` replaces dead connections).
A connection refused while connecting is not wrapped by SQLAlchemy (asyncpg raises the
socket's `OSError` as it is), so an `OSError` counts only when it was raised from inside
SQLAlchemy or asyncpg: an `OSError` from anything else (a file, SMTP) is not the database's.
"""

from __future__ import annotations

import traceback

import asyncpg  # type: ignore[import-untyped]  # no stubs; only its error types are used
from sqlalchemy import exc as sa

# Everything the check below may recognise: the types to register handlers for.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    sa.DBAPIError,
    sa.TimeoutError,  # no pooled connection freed up in time
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,  # starting up, shutting down, in recovery
    asyncpg.AdminShutdownError,
    asyncpg.TooManyConnectionsError,
)

_DRIVER_MODULES = ("sqlalchemy.", "asyncpg.")
_SERVER_SIDE = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.TooManyConnectionsError,
)


def database_unreachable(error: Exception) -> bool:
    """True when `error` says the database is out of reach, not that a statement failed."""
    if isinstance(error, sa.DBAPIError):
        # The connection died under a statement, or the driver could not connect.
        return error.connection_invalidated or isinstance(error.orig, _SERVER_SIDE)
    if isinstance(error, (sa.TimeoutError, *_SERVER_SIDE)):
        return True
    return isinstance(error, OSError) and _raised_by_driver(error)


def _raised_by_driver(error: BaseException) -> bool:
    for frame, _line in traceback.walk_tb(error.__traceback__):
        module = frame.f_globals.get("__name__", "")
        if isinstance(module, str) and module.startswith(_DRIVER_MODULES):
            return True
    return False
