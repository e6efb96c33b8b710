"""Refuses a request whose path or query holds a NUL character (sent as `%00`): nothing
Rapat stores or looks up may contain one, and PostgreSQL fails on it. HTTP gets 400 with
the error envelope; a WebSocket handshake is refused (close 1008, policy violation)."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

from rapat.api.errors import error_response

_MESSAGE = "The address must not contain the NUL character (%00)."


def has_nul(scope: Scope) -> bool:
    query: bytes = scope.get("query_string", b"")
    return "\x00" in scope.get("path", "") or b"\x00" in unquote_to_bytes(query)


class UrlTextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"} or not has_nul(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "http":
            response = error_response(400, code="invalid_input", message=_MESSAGE)
            await response(scope, receive, send)
            return
        await send({"type": "websocket.close", "code": 1008, "reason": "NUL in the address"})
