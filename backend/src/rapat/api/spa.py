"""Serves the built single-page app: hashed assets cached for a year, `index.html` never
cached, and client routes (`/r/abc-defg-hij`) answered with `index.html`. Paths that belong
to the server (`/api/...`, `/ws`, probes) never fall back to the app: they 404 as JSON."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

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


def create_spa_router(root: Path) -> APIRouter:
    router = APIRouter(include_in_schema=False)
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

    @router.api_route("/", methods=["GET", "HEAD"])
    async def app_root() -> Response:
        return serve_index()

    # Every method, so an unknown `/api/...` path is a 404 whatever the method, not a 405.
    @router.api_route("/{path:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
    async def app_file(path: str, request: Request) -> Response:
        if is_server_path(path):
            return error_response(404, message=f"No route for {request.method} {request.url.path}.")
        if request.method not in ("GET", "HEAD"):
            return error_response(405, headers={"Allow": "GET, HEAD"})
        if path == "index.html":
            return serve_index()
        found = resolve_file(root, path)
        if found is not None:
            return FileResponse(found, headers={"Cache-Control": cache_control_for(path)})
        if looks_like_file(path):
            return error_response(404, message=f"No file {request.url.path}.")
        return serve_index()

    return router
