"""Turns any exception that escapes a handler into the 500 error envelope. It sits inside
the request-context middleware so the response still carries the correlation id, and the
traceback goes to the log, never to the client."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rapat.api.errors import error_response
from rapat.observability.logging import get_logger

_log = get_logger("rapat.http")


class UnhandledErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            _log.exception("unhandled_error", method=scope["method"], path=scope["path"])
            if started:
                raise
            response = error_response(500, message="Something went wrong on our side.")
            await response(scope, receive, send)
