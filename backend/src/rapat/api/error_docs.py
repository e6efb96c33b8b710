"""How error responses are documented in OpenAPI: the one error schema (the envelope that
`errors.error_body` writes) and `errors(...)`, which routes and routers pass as `responses=`.

    @router.get("/{room_id}", responses=errors(403, 404))

Which statuses come from where (docs/api.md, "Errors"):

    400  the whole app: a NUL in the address (middleware); services: input they refuse
    401  the authentication dependency: no token, a bad one, an ended session
    403  services: not allowed, or the account is disabled
    404  services: the path names nothing the caller can see
    409  services: the state does not allow it
    413  the body-size middleware: every route that takes a body
    415  uploads of a file type that is not accepted
    416  a file download whose `Range` starts past the end
    422  request validation: every route with parameters or a body
    429  rate limits: every signed-in route (the API-wide limit) and each route's own
    503  a dependency is down (readiness)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

DESCRIPTIONS: dict[int, str] = {
    400: "The input breaks a rule; `code` says which",
    401: "No access token, or it is not valid or its session ended; sign in again",
    403: "Signed in but not allowed (or the account is disabled)",
    404: "Nothing by that identifier that the caller can see",
    409: "The current state does not allow it",
    413: "The request body is over the size limit",
    415: "The file is not of an accepted type",
    416: "The requested byte range is outside the file; `Content-Range` gives its size",
    422: "The request does not match its schema; `details` lists each problem",
    429: "Too many requests; `Retry-After` says when to try again",
    503: "Not available right now; try again later",
}

_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "`Bearer`: the scheme to sign in with",
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Whole seconds until a request fits again",
            "schema": {"type": "integer"},
        }
    },
}


# Statuses that come together: groups to spread into `errors(...)`.
# The authentication dependency (401; 403 for a disabled account) and the API-wide rate limit.
SIGNED_IN = (401, 403, 429)
WITH_BODY = (413, 422)  # the body-size limit and request validation


class ErrorBody(BaseModel):
    code: str = Field(description="What went wrong, for programs: `room_not_found`, ...")
    message: str = Field(description="What went wrong, for people")
    details: Any = Field(
        default=None,
        description="More about it when there is more: for 422 a list of "
        "`{field, message, type}`, for 429 `{limit, scope}`",
    )


class ErrorOut(BaseModel):
    """Every error response: `{"error": {"code", "message", "details"?}}`."""

    model_config = ConfigDict(title="Error")

    error: ErrorBody


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` documenting each status with the error schema."""
    unknown = [status for status in statuses if status not in DESCRIPTIONS]
    if unknown:  # caught when the route is declared, not when the document is read
        raise ValueError(f"no description for error statuses {unknown}")
    documented: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        documented[status] = {"model": ErrorOut, "description": DESCRIPTIONS[status]}
        if status in _HEADERS:
            documented[status]["headers"] = _HEADERS[status]
    return documented
