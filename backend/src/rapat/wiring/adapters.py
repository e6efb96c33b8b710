"""One factory per adapter: each picks the embedded or the networked implementation from
its configuration section alone."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from rapat.bus import Bus, memory_bus, redis_bus
from rapat.conference.registry import Conference
from rapat.config import (
    AuthConfig,
    AvatarConfig,
    CacheConfig,
    DatabaseConfig,
    MailConfig,
    RateLimitConfig,
    RecordingConfig,
    RecordingStoreConfig,
    SfuConfig,
)
from rapat.mail.dev_mailbox import DevMailbox
from rapat.mail.interfaces import Mailer
from rapat.mail.smtp import SmtpMailer, parse_smtp_url
from rapat.observability.logging import get_logger
from rapat.ratelimit import RateLimiter
from rapat.recording.local_store import LocalRecordingStore
from rapat.recording.s3_store import S3Options, S3RecordingStore
from rapat.recording.store import RecordingStore
from rapat.security.encryption import Encryptor, derive_key, parse_keys
from rapat.services.bounded_pool import BoundedPool
from rapat.services.memory_release import release_free_memory
from rapat.services.recording_ledger import RecordingLedger
from rapat.sfu import hooks as sfu_hooks
from rapat.sfu.network import NetworkOptions, PortRange, host_addresses
from rapat.sfu.peer import SfuPeer
from rapat.sfu.scheduling import request_media_slice
from rapat.storage.engine import create_engine, create_session_factory
from rapat.storage.scope import SYSTEM

_log = get_logger("rapat.wiring")


@dataclass(frozen=True, slots=True)
class Resources:
    """Connections opened at start-up and closed at shutdown."""

    engine: AsyncEngine
    # Acts for the caller the edge authenticated (row-level security, decision 46).
    sessions: async_sessionmaker[AsyncSession]
    # Acts as the system: jobs, reminders, and the hub's writes for members it admitted.
    system_sessions: async_sessionmaker[AsyncSession]
    bus: Bus

    async def close(self) -> None:
        await self.bus.close()
        await self.engine.dispose()


def create_bus(config: CacheConfig) -> Bus:
    if config.redis_url:
        return redis_bus(config.redis_url, prefix=config.key_prefix)
    return memory_bus()


def open_resources(database: DatabaseConfig, cache: CacheConfig) -> Resources:
    engine = create_engine(database.url, echo=database.echo, pool_size=database.pool_size)
    return Resources(
        engine=engine,
        sessions=create_session_factory(engine),
        system_sessions=create_session_factory(engine, fixed=SYSTEM),
        bus=create_bus(cache),
    )


def create_mailer(config: MailConfig) -> Mailer:
    if config.smtp_url:
        return SmtpMailer(parse_smtp_url(config.smtp_url), config.from_address)
    return DevMailbox()


def create_encryptor(config: AuthConfig, secret_key: str) -> Encryptor:
    if config.encryption_keys:
        return Encryptor(parse_keys(config.encryption_keys))
    return Encryptor({"k0": derive_key(secret_key)})


def create_rate_limiter(config: RateLimitConfig) -> RateLimiter:
    return RateLimiter(config.redis_url, key_prefix=config.key_prefix, enabled=config.enabled)


def create_avatar_decoders(config: AvatarConfig) -> BoundedPool:
    """The threads that decode uploaded pictures; each hands its freed memory back."""
    return BoundedPool(
        config.decode_workers,
        config.decode_queue,
        name="avatar-decode",
        after_each=release_free_memory,
    )


def create_recording_store(config: RecordingStoreConfig) -> RecordingStore:
    """Finished recordings: a directory, or a bucket of S3-compatible storage."""
    if config.s3 is None:
        return LocalRecordingStore(config.directory)
    s3 = config.s3
    return S3RecordingStore(
        S3Options(
            endpoint_url=s3.endpoint_url,
            bucket=s3.bucket,
            region=s3.region,
            access_key=s3.access_key,
            secret_key=s3.secret_key,
            public_endpoint_url=s3.public_url,
            create_bucket=s3.create_bucket,
            presign=config.presigned_downloads,
            presign_expires_in=config.presign_seconds,
        )
    )


def create_conference(
    config: SfuConfig,
    recording: RecordingConfig | None = None,
    ledger: RecordingLedger | None = None,
) -> Conference | None:
    if not config.enabled:
        return None
    ports = PortRange(config.port_min, config.port_max) if config.port_min else None
    addresses = config.bind_addresses or host_addresses()
    network = NetworkOptions(addresses, ports, config.advertised_address)
    recordings = recording.directory if recording is not None and recording.enabled else None
    return Conference(
        partial(SfuPeer, network, keyframe_interval=config.keyframe_interval),
        recordings,
        ledger=ledger,
    )


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
