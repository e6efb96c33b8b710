"""The JSON error envelope `{"error": {"code", "message", "details"?}}` for every error the
HTTP edge produces, and the one place DomainErrors become status codes."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection
from starlette.websockets import WebSocket, WebSocketDisconnect

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
from rapat.observability.logging import get_logger

_log = get_logger("rapat.api")

# What a client is asked to wait after a dependency outage: restarts take seconds.
OUTAGE_RETRY_AFTER = 5
TRY_AGAIN_LATER = 1013  # the WebSocket close code (signaling's close_codes has it too)


@dataclass(frozen=True, slots=True)
class Outage:
    """Exceptions by which a dependency says it cannot be reached right now: answered with
    503 and `Retry-After` rather than 500. `kinds` are the types to catch, `matches` picks
    the outages among them (the composition root supplies both: the API does not know the
    database driver)."""

    dependency: str
    kinds: tuple[type[Exception], ...]
    matches: Callable[[Exception], bool]


_STATUS_BY_ERROR: dict[type[DomainError], int] = {
    InvalidInput: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    RateLimited: 429,
    Unavailable: 503,
}

_CODE_BY_STATUS: dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def error_response(
    status: int,
    code: str | None = None,
    message: str | None = None,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        error_body(
            code or _CODE_BY_STATUS.get(status, "error"),
            message or HTTPStatus(status).phrase,
            details,
        ),
        status_code=status,
        headers=headers,
    )


def status_for(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in _STATUS_BY_ERROR:
            return _STATUS_BY_ERROR[cls]
    return 400


def _rate_limit_headers(request: HTTPConnection) -> dict[str, str]:
    return dict(getattr(request.state, "rate_limit_headers", None) or {})


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = _rate_limit_headers(request)
    # An error raised at the HTTP edge may carry headers for its response (rate limits do).
    headers.update(getattr(exc, "headers", None) or {})
    if isinstance(exc, RateLimited | Unavailable) and exc.retry_after is not None:
        headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
    elif isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(status_for(exc), exc.code, exc.message, exc.details, headers or None)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else None
    headers = {**_rate_limit_headers(request), **(exc.headers or {})}
    return error_response(exc.status_code, message=message, headers=headers or None)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {
            "field": ".".join(str(part) for part in problem["loc"]),
            "message": problem["msg"],
            "type": problem["type"],
        }
        for problem in exc.errors()
    ]
    return error_response(422, message="The request is not valid.", details=problems)


def _outage_handler(outages: Sequence[Outage]) -> Callable[..., Any]:
    async def handle(connection: HTTPConnection, exc: Exception) -> JSONResponse | None:
        outage = next((o for o in outages if isinstance(exc, o.kinds) and o.matches(exc)), None)
        if outage is None:
            raise exc  # not an outage: the unhandled-error middleware answers 500 and logs it
        _log.warning(
            "dependency_unavailable",
            dependency=outage.dependency,
            path=connection.url.path,
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
        if isinstance(connection, WebSocket):  # accepted already: 1013, try again later
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await connection.close(TRY_AGAIN_LATER)
            return None
        return error_response(
            503,
            "unavailable",
            f"The {outage.dependency} is unavailable right now; try again shortly.",
            headers={**_rate_limit_headers(connection), "Retry-After": str(OUTAGE_RETRY_AFTER)},
        )

    return handle


def install_error_handlers(app: FastAPI, outages: Sequence[Outage] = ()) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    handler = _outage_handler(outages)
    for kind in {kind for outage in outages for kind in outage.kinds}:
        app.add_exception_handler(kind, handler)
