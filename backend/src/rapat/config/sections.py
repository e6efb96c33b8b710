"""The sections of the configuration, one frozen dataclass per component: each component
receives only its own (`Settings.database`, `Settings.sfu`, …), never the whole `Settings`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Environment = Literal["development", "test", "production"]


@dataclass(frozen=True, slots=True)
class ServerConfig:
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    url: str
    echo: bool
    pool_size: int

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


@dataclass(frozen=True, slots=True)
class CacheConfig:
    redis_url: str | None
    key_prefix: str


@dataclass(frozen=True, slots=True)
class HttpConfig:
    cors_origins: tuple[str, ...]
    cors_allow_credentials: bool
    max_body_bytes: int
    frontend_dir: Path


@dataclass(frozen=True, slots=True)
class AvatarConfig:
    decode_workers: int
    decode_queue: int


@dataclass(frozen=True, slots=True)
class ObservabilityConfig:
    environment: Environment
    log_level: str
    log_format: Literal["json", "console"]
    otel_endpoint: str | None
    service_name: str


@dataclass(frozen=True, slots=True)
class AuthConfig:
    secret_key: str | None
    data_dir: Path
    access_token_ttl: int
    refresh_token_ttl: int
    jwt_algorithm: str
    bcrypt_rounds: int
    encryption_keys: str | None
    verify_email_ttl: int
    password_reset_ttl: int
    public_url: str


@dataclass(frozen=True, slots=True)
class MailConfig:
    smtp_url: str | None
    from_address: str


@dataclass(frozen=True, slots=True)
class RateLimitConfig:
    enabled: bool
    redis_url: str | None
    key_prefix: str
    api_rate: str  # per signed-in user, over every authenticated route


@dataclass(frozen=True, slots=True)
class JobsConfig:
    broker_url: str | None
    queue: str
    max_attempts: int
    retry_base_delay: float
    retry_max_delay: float
    worker_concurrency: int
    worker_metrics_port: int


@dataclass(frozen=True, slots=True)
class NotificationsConfig:
    reminder_minutes: int
    reminder_scan_seconds: int
    webhook_timeout: float
    webhook_allow_private: bool
    user_channel_presence_ttl: float


@dataclass(frozen=True, slots=True)
class SfuConfig:
    enabled: bool
    bind_addresses: tuple[str, ...]
    port_min: int
    port_max: int
    advertised_address: str | None
    keyframe_interval: float
    # The media thread's scheduler time slice in µs; 0 leaves the kernel's default.
    sched_slice_us: int


@dataclass(frozen=True, slots=True)
class S3StoreConfig:
    endpoint_url: str
    bucket: str
    region: str
    # Both None: botocore's own credential chain (AWS_* variables, an instance role).
    access_key: str | None
    secret_key: str | None = field(repr=False)
    # The address browsers reach the store at, when not `endpoint_url`; URLs are signed for it.
    public_url: str | None
    create_bucket: bool


@dataclass(frozen=True, slots=True)
class RecordingStoreConfig:
    """Where finished recordings are kept (decision 54)."""

    kind: Literal["local", "s3"]
    directory: Path  # the local store's root (unused with S3)
    s3: S3StoreConfig | None  # set when kind is "s3"
    # S3 only: downloads go to short-lived presigned URLs rather than through the API.
    presigned_downloads: bool
    presign_seconds: int


@dataclass(frozen=True, slots=True)
class RecordingConfig:
    # Hosts may record their meetings (off until recordings can be composed and played).
    enabled: bool
    directory: Path  # <data_dir>/recordings: one folder per room, one per recording
    store: RecordingStoreConfig
    container: Literal["mp4", "webm"] = "mp4"  # the composed file: H.264/AAC or VP8/Opus
    retention_days: int = 0  # recordings older than this are deleted; 0 keeps them
    keep_raw: bool = False  # keep the per-track files once the composed file is stored
    compose_threads: int = 1  # ffmpeg threads per compose; 0 lets it choose
    link_ttl: int = 300  # seconds a play/download link stays valid


@dataclass(frozen=True, slots=True)
class TurnConfig:
    stun_urls: tuple[str, ...]
    turn_urls: tuple[str, ...]
    # coturn's `static-auth-secret`; None when no TURN server is configured.
    secret: str | None
    ttl: int


@dataclass(frozen=True, slots=True)
class SignalingConfig:
    max_message_bytes: int
    messages_per_second: float
    message_burst: int
    idle_timeout: float
    grace_period: float
    send_queue_size: int
    compression: bool = False
    node_lease: float = 10.0
    sweep_interval: float = 10.0


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Where rooms live when several processes serve one deployment (decision 61)."""

    # The URL browsers open for this process's signaling (`ws://…/ws` or `wss://…/ws`);
    # None: the page's own origin, as with one process.
    node_url: str | None
    # `rapat serve` starts this many processes (each a node with its own signaling port).
    processes: int = 1
    # Participants one process takes before it counts as fully loaded, for placement.
    capacity: int = 200
    # A room's home loaded past this (its placement score) sends the room's next
    # participants to another node; the nodes relay the room's media (decision 70).
    spill_load: float = 0.8
    # How long a node's record (and a room's home) outlives its last renewal, in seconds:
    # a dead node's rooms are placed elsewhere this soon (it renews every third of it).
    node_ttl: float = 4.0
