"""Security headers on every HTTP response. The CSP fits the single-page app: scripts and
styles only from our origin (inline styles allowed for dynamic layout), camera/microphone
streams as `blob:`/`mediastream:` media, signaling over same-origin WebSockets (and those
of the deployment's other nodes, whose origins `connect_sources` names: decision 61), and
no framing by other sites."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(connect: Iterable[str] = ()) -> str:
    """The policy, with `connect` (origins such as `ws://127.0.0.1:8081`) allowed to be
    connected to besides our own origin."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob: mediastream:",
            " ".join(["connect-src 'self'", *sorted(connect)]),
            "font-src 'self' data:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()

CSP = "Content-Security-Policy"
SECURITY_HEADERS = {
    CSP: CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(self), display-capture=(self), "
    "geolocation=(), payment=()",
}


class SecurityHeadersMiddleware:
    def __init__(
        self, app: ASGIApp, connect_sources: Callable[[], frozenset[str]] | None = None
    ) -> None:
        self.app = app
        self._connect_sources = connect_sources
        self._policies: dict[frozenset[str], str] = {frozenset(): CONTENT_SECURITY_POLICY}

    def _policy(self) -> str:
        sources = self._connect_sources() if self._connect_sources else frozenset()
        policy = self._policies.get(sources)
        if policy is None:  # the nodes changed: a few policies in a process's life
            policy = self._policies[sources] = content_security_policy(sources)
        return policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:  # a route's own header wins
                        headers[name] = self._policy() if name == CSP else value
            await send(message)

        await self.app(scope, receive, with_headers)
