"""Serves the built single-page app: hashed assets cached for a year, `index.html` never
cached, and client routes (`/r/abc-defg-hij`) answered with `index.html`. Paths that belong
to the server (`/api/...`, `/ws`, probes) never fall back to the app: they 404 as JSON."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketClose

from rapat.api.errors import error_response

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SHORT = "public, max-age=3600"
SERVER_PREFIXES = ("api", "ws", "healthz", "readyz", "metrics", "docs", "openapi.json")


def is_server_path(path: str) -> bool:
    first = path.lstrip("/").split("/", 1)[0]
    return first in SERVER_PREFIXES


def resolve_file(root: Path, path: str) -> Path | None:
    """The file under `root` that `path` names, or None; never escapes `root`."""
    parts = PurePosixPath(path.lstrip("/")).parts
    if any(part in ("..", "") or part.startswith(".") for part in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        candidate.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    return candidate if candidate.is_file() else None


def cache_control_for(relative: str) -> str:
    if relative.startswith("assets/"):
        return IMMUTABLE
    return SHORT


def looks_like_file(path: str) -> bool:
    return "." in PurePosixPath(path).name


def create_spa_app(root: Path) -> ASGIApp:
    """The router's fallback: called only when no route matches the path at all, so a
    wrong method on a known route stays a 405 and an unknown `/api/...` path a 404."""
    index = root / "index.html"

    def serve_index() -> Response:
        if not index.is_file():
            return error_response(
                404,
                code="frontend_not_built",
                message="The web app is not built; run `make run` (or `npm run build` "
                "in frontend/) to build it.",
            )
        return FileResponse(index, headers={"Cache-Control": REVALIDATE})

    def respond(request: Request) -> Response:
        path = request.url.path.lstrip("/")
        if is_server_path(path):
            return error_response(404, message=f"No route for {request.method} /{path}.")
        if request.method not in ("GET", "HEAD"):
            return error_response(405, headers={"Allow": "GET, HEAD"})
        if path in ("", "index.html"):
            return serve_index()
        found = resolve_file(root, path)
        if found is not None:
            return FileResponse(found, headers={"Cache-Control": cache_control_for(path)})
        if looks_like_file(path):
            return error_response(404, message=f"No file /{path}.")
        return serve_index()

    async def spa(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # e.g. a WebSocket to an unknown path
            await WebSocketClose(code=4404)(scope, receive, send)
            return
        await respond(Request(scope, receive))(scope, receive, send)

    return spa
