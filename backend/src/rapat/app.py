"""The app factory and the one place that picks an implementation for every adapter
(embedded or networked), from configuration only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI, WebSocket
from starlette.middleware.cors import CORSMiddleware

from rapat import __version__
from rapat.api.docs_page import create_docs_router
from rapat.api.errors import install_error_handlers
from rapat.api.middleware.body_limit import BodyLimitMiddleware
from rapat.api.middleware.security_headers import SecurityHeadersMiddleware
from rapat.api.middleware.unhandled_errors import UnhandledErrorMiddleware
from rapat.api.readiness import Check
from rapat.api.routes import (
    auth,
    dev,
    health,
    invitations,
    notifications,
    rooms,
    rtc,
    users,
    webhooks,
)
from rapat.api.spa import create_spa_app
from rapat.api.state import AppState, Resources, Services, app_state
from rapat.bus import Bus, memory_bus, redis_bus
from rapat.conference.metrics import register_sfu_metrics
from rapat.conference.registry import Conference
from rapat.config import (
    AuthConfig,
    CacheConfig,
    DatabaseConfig,
    HttpConfig,
    MailConfig,
    Settings,
    SfuConfig,
    load_settings,
)
from rapat.jobs.metrics import JobMetrics, create_job_metrics
from rapat.jobs.runtime import JobRuntime
from rapat.jobs.wiring import LiveServices
from rapat.mail.dev_mailbox import DevMailbox
from rapat.mail.interfaces import Mailer
from rapat.mail.smtp import SmtpMailer, parse_smtp_url
from rapat.observability.logging import configure_logging, get_logger
from rapat.observability.metrics import MetricsMiddleware, create_metrics
from rapat.observability.request_context import RequestContextMiddleware
from rapat.observability.tracing import setup_tracing
from rapat.ratelimit import RateLimiter
from rapat.security.encryption import Encryptor, derive_key, parse_keys
from rapat.security.passwords import PasswordHasher
from rapat.security.secret_key import resolve_secret_key
from rapat.security.tokens import AccessTokens
from rapat.services.auth import AuthService
from rapat.services.email_links import EmailLinks
from rapat.services.meeting import MeetingService
from rapat.services.outbox import MailOutbox
from rapat.services.recovery import AccountRecovery
from rapat.services.rooms import RoomService
from rapat.services.users import create_user_services
from rapat.sfu import hooks as sfu_hooks
from rapat.sfu.network import NetworkOptions, PortRange, host_addresses
from rapat.sfu.peer import SfuPeer
from rapat.sfu.scheduling import request_media_slice
from rapat.signaling import SignalingHub, create_endpoint
from rapat.signaling.context import create_context, live_ttl
from rapat.signaling.state import LiveRooms
from rapat.signaling.user_endpoint import UserChannelServer, create_user_endpoint
from rapat.storage.engine import create_engine, create_session_factory
from rapat.storage.health import check_database

_log = get_logger("rapat.app")


def create_bus(config: CacheConfig) -> Bus:
    if config.redis_url:
        return redis_bus(config.redis_url, prefix=config.key_prefix)
    return memory_bus()


def open_resources(database: DatabaseConfig, cache: CacheConfig) -> Resources:
    engine = create_engine(database.url, echo=database.echo, pool_size=database.pool_size)
    return Resources(engine=engine, sessions=create_session_factory(engine), bus=create_bus(cache))


def create_mailer(config: MailConfig) -> Mailer:
    if config.smtp_url:
        return SmtpMailer(parse_smtp_url(config.smtp_url), config.from_address)
    return DevMailbox()


def create_encryptor(config: AuthConfig, secret_key: str) -> Encryptor:
    if config.encryption_keys:
        return Encryptor(parse_keys(config.encryption_keys))
    return Encryptor({"k0": derive_key(secret_key)})


def create_hub(
    settings: Settings, resources: Resources, auth: AuthService, rooms: RoomService
) -> SignalingHub:
    config = settings.signaling
    bus = resources.bus
    context = create_context(
        config=config,
        auth=auth,
        rooms=rooms,
        meetings=MeetingService(resources.sessions),
        live=LiveRooms(bus.kv, bus.presence, ttl=live_ttl(config)),
        pubsub=bus.pubsub,
        presence=bus.presence,
        media=create_conference(settings.sfu),
    )
    return SignalingHub(context)


def instrument(state: AppState) -> JobMetrics:
    """Metrics beyond HTTP: the SFU's (read at each scrape) and the jobs'."""
    register_sfu_metrics(
        state.metrics.registry,
        lambda: state.services.signaling.media if state.services is not None else None,
    )
    return create_job_metrics(state.metrics.registry)


async def check_media(config: SfuConfig) -> None:
    """An aiortc the SFU's hooks do not fit stops the start, with the reason. Runs on the
    event loop's thread, the one that forwards media, which gets its time slice here."""
    if not config.enabled:
        return
    await sfu_hooks.verify()
    outcome = request_media_slice(config.sched_slice_us)
    _log.info(
        "media_time_slice",
        microseconds=outcome.requested_us,
        applied=outcome.applied,
        reason=outcome.reason or None,
    )


def create_conference(config: SfuConfig) -> Conference | None:
    if not config.enabled:
        return None
    ports = PortRange(config.port_min, config.port_max) if config.port_min else None
    addresses = config.bind_addresses or host_addresses()
    network = NetworkOptions(addresses, ports, config.advertised_address)
    return Conference(partial(SfuPeer, network, keyframe_interval=config.keyframe_interval))


def _find_hub(websocket: WebSocket) -> SignalingHub | None:
    services = app_state(websocket.app).services
    return services.signaling if services is not None else None


def _find_user_channel(websocket: WebSocket) -> UserChannelServer | None:
    services = app_state(websocket.app).services
    return services.live.channel_server if services is not None else None


def build_services(
    settings: Settings, resources: Resources, mailer: Mailer, jobs: JobRuntime
) -> Services:
    config = settings.auth
    secret_key = resolve_secret_key(
        config.secret_key, config.data_dir, persist=settings.env == "development"
    )
    outbox = MailOutbox(jobs.queue, settle=jobs.wait_running)
    links = EmailLinks(
        outbox, config.public_url, config.verify_email_ttl, config.password_reset_ttl
    )
    hasher = PasswordHasher(config.bcrypt_rounds)
    encryptor = create_encryptor(config, secret_key)
    auth_service = AuthService(
        resources.sessions,
        hasher=hasher,
        access_tokens=AccessTokens(secret_key, config.jwt_algorithm, config.access_token_ttl),
        encryptor=encryptor,
        cache=resources.bus.kv,
        email_links=links,
        refresh_ttl_seconds=config.refresh_token_ttl,
    )
    live = LiveServices(
        settings,
        sessions=resources.sessions,
        bus=resources.bus,
        jobs=jobs,
        outbox=outbox,
        encryptor=encryptor,
        auth=auth_service,
    )
    rooms = RoomService(resources.sessions, hasher, config.public_url, live.room_events)
    live.attach_rooms(rooms, mailer)
    return Services(
        auth=auth_service,
        recovery=AccountRecovery(resources.sessions, hasher, links, auth_service),
        outbox=outbox,
        users=create_user_services(
            resources.sessions, resources.bus.presence, auth_service, live.contact_added
        ),
        rooms=rooms,
        signaling=create_hub(settings, resources, auth_service, rooms),
        dev_mailbox=(
            mailer if isinstance(mailer, DevMailbox) and settings.env != "production" else None
        ),
        live=live,
    )


def _readiness_checks(
    settings: Settings, resources: Resources, mailer: Mailer, jobs: JobRuntime
) -> dict[str, Check]:
    """One check per networked dependency this node uses."""
    checks: dict[str, Check] = {
        "database": partial(check_database, resources.engine),
        "cache": resources.bus.ping,
    }
    if settings.mail.smtp_url:
        checks["mail"] = mailer.ping
    if settings.jobs.broker_url:
        checks["broker"] = jobs.ping
    return checks


def _install_middleware(app: FastAPI, http: HttpConfig, state: AppState) -> None:
    # Added innermost first: Starlette wraps each new middleware around the previous ones.
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=http.max_body_bytes)
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
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=state.metrics)
    app.add_middleware(RequestContextMiddleware)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    observability = settings.observability
    state = AppState(metrics=create_metrics())
    job_metrics = instrument(state)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resources = open_resources(settings.database, settings.cache)
        await check_media(settings.sfu)
        mailer = create_mailer(settings.mail)
        limits = settings.rate_limits
        limiter = RateLimiter(
            limits.redis_url, key_prefix=limits.key_prefix, enabled=limits.enabled
        )
        jobs = JobRuntime(settings.jobs, job_metrics)
        state.resources = resources
        state.services = build_services(settings, resources, mailer, jobs)
        # Embedded: jobs and their scheduler run here. With RabbitMQ, `rapat worker` runs both.
        await jobs.start(scheduler=settings.jobs.broker_url is None)
        app.state.rate_limiter = limiter
        state.readiness_checks = _readiness_checks(settings, resources, mailer, jobs)
        _log.info(
            "started",
            version=__version__,
            database="sqlite" if settings.database.is_sqlite else "postgresql",
            cache="redis" if settings.cache.redis_url else "memory",
        )
        await state.services.signaling.start()
        try:
            yield
        finally:
            await state.services.signaling.close()
            await state.services.outbox.drain()
            await state.services.live.close()  # the user channels, then the jobs
            await mailer.close()
            await limiter.close()
            await resources.bus.close()
            await resources.engine.dispose()
            if tracer is not None:
                tracer.shutdown()
            state.resources = None
            state.services = None

    app = FastAPI(
        title="Rapat",
        version=__version__,
        summary="Self-hosted video meetings.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.rapat = state
    install_error_handlers(app)
    _install_middleware(app, settings.http, state)
    app.include_router(health.router)
    app.include_router(auth.router, prefix="/api/v1")
    app.include_router(users.router, prefix="/api/v1")
    app.include_router(rooms.router, prefix="/api/v1")
    for router in (dev.router, notifications.router, invitations.router, webhooks.router):
        app.include_router(router, prefix="/api/v1")
    app.include_router(rtc.create_router(settings.turn), prefix="/api/v1")
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


def create_app_from_env() -> FastAPI:
    """Entry point for uvicorn's factory mode (`rapat serve`)."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
