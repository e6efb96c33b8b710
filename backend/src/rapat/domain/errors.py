"""Errors every layer can raise. Each carries a transport-neutral code and a message;
the edges (HTTP, WebSocket) map them once.

    DomainError
     ├── InvalidInput       bad input the caller can fix
     ├── Unauthenticated    no or bad credentials
     ├── Forbidden          authenticated, not allowed
     ├── NotFound           no such thing (or not visible to the caller)
     ├── Conflict           state does not allow it (duplicate, room full, ...)
     ├── RateLimited        too many attempts; retry later
     └── Unavailable        a dependency is down or the server is busy; retry later
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code: str = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: dict[str, Any] | list[Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class InvalidInput(DomainError):
    code = "invalid_input"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Forbidden(DomainError):
    code = "forbidden"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        retry_after: float,
        code: str | None = None,
        details: dict[str, Any] | list[Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, details=details)
        self.retry_after = retry_after


class Unavailable(DomainError):
    code = "unavailable"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: dict[str, Any] | list[Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, code=code, details=details)
        # Seconds after which trying again is likely to work, when the server knows.
        self.retry_after = retry_after
