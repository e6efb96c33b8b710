"""Liveness, readiness and metrics endpoints for orchestrators and Prometheus."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from rapat import __version__
from rapat.api.error_docs import errors
from rapat.api.errors import error_response
from rapat.api.readiness import Readiness, check_readiness
from rapat.api.state import app_state

router = APIRouter(tags=["operations"])


async def _check(request: Request) -> Readiness:
    """Run the readiness checks (each bounded to 2 s) and put the results in the
    `rapat_dependency_up` gauges."""
    state = app_state(request.app)
    readiness = await check_readiness(state.readiness_checks)
    for name, result in readiness.checks.items():
        state.metrics.dependency_up.labels(name).set(1 if result == "ok" else 0)
    return readiness


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get(
    "/readyz",
    summary="Every configured dependency answers",
    responses=errors(503),
)
async def readyz(request: Request) -> Any:
    readiness = await _check(request)
    if not readiness.ready:
        return error_response(
            503,
            code="not_ready",
            message="Not ready: " + ", ".join(readiness.failed),
            details={"checks": readiness.checks},
        )
    return JSONResponse({"status": "ready", "checks": readiness.checks})


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    await _check(request)  # the dependencies' gauges are fresh in every scrape
    body, content_type = app_state(request.app).metrics.render()
    return Response(body, media_type=content_type)
