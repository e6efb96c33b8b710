"""The web server: `create_app(settings)` puts the HTTP routes, the WebSocket endpoints
and the middleware on top of a `Runtime` built by the composition root (`rapat.wiring`)
at start-up."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, WebSocket
from starlette.middleware.cors import CORSMiddleware

from rapat import __version__
from rapat.api.docs_page import create_docs_router
from rapat.api.error_docs import errors
from rapat.api.errors import Outage, install_error_handlers
from rapat.api.middleware.body_limit import BodyLimitMiddleware
from rapat.api.middleware.security_headers import SecurityHeadersMiddleware
from rapat.api.middleware.unhandled_errors import UnhandledErrorMiddleware
from rapat.api.middleware.url_text import UrlTextMiddleware
from rapat.api.routes import (
    auth,
    dev,
    health,
    invitations,
    lobby,
    notifications,
    recordings,
    rooms,
    rtc,
    server,
    users,
    webhooks,
)
from rapat.api.spa import create_spa_app
from rapat.api.state import AppState
from rapat.bus import BusUnavailableError
from rapat.conference.metrics import register_sfu_metrics
from rapat.conference.registry import Conference
from rapat.config import HttpConfig, RecordingConfig, Settings, load_settings
from rapat.jobs.metrics import JobMetrics, create_job_metrics
from rapat.observability.disk_metrics import register_disk_metrics
from rapat.observability.logging import configure_logging, get_logger
from rapat.observability.metrics import MetricsMiddleware, create_metrics
from rapat.observability.request_context import RequestContextMiddleware
from rapat.observability.tracing import setup_tracing
from rapat.signaling import SignalingHub, create_endpoint
from rapat.signaling.metrics import SignalingParts, register_signaling_metrics
from rapat.signaling.user_endpoint import UserChannelServer, create_user_endpoint
from rapat.storage.outage import OUTAGE_ERRORS, database_unreachable
from rapat.wiring import Runtime
from rapat.wiring.adapters import check_media, create_rate_limiter
from rapat.wiring.recordings import recording_available

_log = get_logger("rapat.app")
# The apps this process runs (started, not yet stopped), for `drain_running`.
_RUNNING: weakref.WeakSet[FastAPI] = weakref.WeakSet()


def runtime_of(app: FastAPI) -> Runtime | None:
    """The running app's runtime (None before start-up and after shutdown)."""
    runtime = getattr(app.state, "runtime", None)
    assert runtime is None or isinstance(runtime, Runtime)
    return runtime


def instrument(app: FastAPI, state: AppState, recording: RecordingConfig) -> JobMetrics:
    """Metrics beyond HTTP: the SFU's, signaling's and the recording disks' (read at each
    scrape), and the jobs'."""

    def conference() -> Conference | None:
        runtime = runtime_of(app)
        return runtime.services.signaling.media if runtime is not None else None

    def signaling() -> SignalingParts | None:
        runtime = runtime_of(app)
        if runtime is None:
            return None
        services = runtime.services
        return SignalingParts(services.signaling, services.live.channel_server)

    registry = state.metrics.registry
    register_sfu_metrics(registry, conference)
    register_signaling_metrics(registry, signaling)
    disks = {"capture": recording.directory}
    if recording.store.kind == "local":
        disks["store"] = recording.store.directory
    register_disk_metrics(registry, disks)
    return create_job_metrics(registry)


def _find_hub(websocket: WebSocket) -> SignalingHub | None:
    runtime = runtime_of(websocket.app)
    return runtime.services.signaling if runtime is not None else None


def _find_user_channel(websocket: WebSocket) -> UserChannelServer | None:
    runtime = runtime_of(websocket.app)
    return runtime.services.live.channel_server if runtime is not None else None


def _node_origins(app: FastAPI) -> frozenset[str]:
    """The signaling origins of the deployment's nodes, for the pages' CSP (decision 61)."""
    runtime = runtime_of(app)
    cluster = runtime.services.signaling.cluster if runtime is not None else None
    return cluster.origins if cluster is not None else frozenset()


def _install_middleware(app: FastAPI, http: HttpConfig, state: AppState) -> None:
    # Added innermost first: Starlette wraps each new middleware around the previous ones.
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=http.max_body_bytes)
    app.add_middleware(UrlTextMiddleware)
    if http.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(http.cors_origins),
            allow_credentials=http.cors_allow_credentials,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=[
                "X-Request-ID",
                "Retry-After",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
            ],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware, connect_sources=lambda: _node_origins(app))
    app.add_middleware(MetricsMiddleware, metrics=state.metrics)
    app.add_middleware(RequestContextMiddleware)


def _include_routers(app: FastAPI, settings: Settings) -> None:
    app.include_router(health.router)
    app.include_router(auth.router, prefix="/api/v1")
    app.include_router(users.router, prefix="/api/v1")
    app.include_router(rooms.router, prefix="/api/v1")
    app.include_router(lobby.router, prefix="/api/v1")
    for router in (
        dev.router,
        notifications.router,
        invitations.router,
        webhooks.router,
        recordings.router,
    ):
        app.include_router(router, prefix="/api/v1")
    app.include_router(rtc.create_router(settings.turn), prefix="/api/v1")
    features = server.create_router(recording=recording_available(settings))
    app.include_router(features, prefix="/api/v1")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    observability = settings.observability
    state = AppState(metrics=create_metrics(), api_rate=settings.rate_limits.api_rate)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime.build(settings, job_metrics)
        await check_media(settings.sfu)
        limiter = create_rate_limiter(settings.rate_limits)
        app.state.runtime = runtime
        state.services = runtime.api_services()
        # Embedded: jobs and their scheduler run here. With RabbitMQ, `rapat worker` runs both.
        await runtime.jobs.start(scheduler=settings.jobs.broker_url is None)
        app.state.rate_limiter = limiter
        state.readiness_checks = runtime.readiness_checks()
        _log.info(
            "started",
            version=__version__,
            database="sqlite" if settings.database.is_sqlite else "postgresql",
            cache="redis" if settings.cache.redis_url else "memory",
        )
        await runtime.services.signaling.start()
        await runtime.services.live.channel_server.start()
        await runtime.services.recordings.recover()
        _RUNNING.add(app)
        try:
            yield
        finally:
            _RUNNING.discard(app)
            await runtime.close()
            await limiter.close()
            if tracer is not None:
                tracer.shutdown()
            app.state.runtime = None
            state.services = None

    app = FastAPI(
        title="Rapat",
        version=__version__,
        summary="Self-hosted video meetings.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # Any route: a NUL in the address is refused before routing (UrlTextMiddleware),
        # and services answer 400 for input they refuse.
        responses=errors(400),
    )
    app.state.rapat = state
    app.state.runtime = None
    job_metrics = instrument(app, state, settings.recording)
    install_error_handlers(
        app,
        [
            Outage("database", OUTAGE_ERRORS, database_unreachable),
            Outage("cache", (BusUnavailableError,), lambda _: True),  # Redis
        ],
    )
    _install_middleware(app, settings.http, state)
    _include_routers(app, settings)
    app.add_api_websocket_route("/ws", create_endpoint(_find_hub), name="signaling")
    app.add_api_websocket_route(
        "/ws/user", create_user_endpoint(_find_user_channel), name="user_channel"
    )
    app.include_router(create_docs_router())
    app.router.default = create_spa_app(settings.http.frontend_dir)
    tracer = setup_tracing(
        app,
        endpoint=observability.otel_endpoint,
        service_name=observability.service_name,
        version=__version__,
    )
    return app


async def drain_running() -> int:
    """A planned stop of this process (`rapat serve` on SIGTERM, before the server closes
    its sockets): each running app's signaling sends its clients to their rooms' new homes
    (decision 61). How many clients were moved; the caller bounds the wait."""
    moved = 0
    for app in list(_RUNNING):
        runtime = runtime_of(app)
        if runtime is not None:
            moved += await runtime.services.signaling.drain()
    return moved


def create_app_from_env() -> FastAPI:
    """Entry point for uvicorn's factory mode (`rapat serve`)."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
