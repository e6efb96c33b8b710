"""Configuration: read once from `RAPAT_*` environment variables (and `.env`), validated,
then handed out in sections so each component sees only what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from limits import parse_many
from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from rapat.config.sections import (
    AuthConfig,
    AvatarConfig,
    CacheConfig,
    ClusterConfig,
    DatabaseConfig,
    Environment,
    HttpConfig,
    JobsConfig,
    MailConfig,
    NotificationsConfig,
    ObservabilityConfig,
    RateLimitConfig,
    RecordingConfig,
    RecordingStoreConfig,
    S3StoreConfig,
    ServerConfig,
    SfuConfig,
    SignalingConfig,
    TurnConfig,
)
from rapat.config.values import (
    check_ice_urls,
    check_ip_addresses,
    check_networks,
    check_node_url,
    check_slice,
    default_frontend_dir,
    listening_url,
)

# The sections are defined in sections.py and exported from here with Settings.
__all__ = [
    "DEFAULT_SQLITE_URL",
    "ENV_PREFIX",
    "MIN_SECRET_LENGTH",
    "PLACEHOLDER_SECRETS",
    "AuthConfig",
    "AvatarConfig",
    "CacheConfig",
    "ClusterConfig",
    "ConfigError",
    "DatabaseConfig",
    "Environment",
    "HttpConfig",
    "JobsConfig",
    "MailConfig",
    "NotificationsConfig",
    "ObservabilityConfig",
    "RateLimitConfig",
    "RecordingConfig",
    "RecordingStoreConfig",
    "S3StoreConfig",
    "ServerConfig",
    "Settings",
    "SfuConfig",
    "SignalingConfig",
    "TurnConfig",
    "check_slice",
    "describe_validation_error",
    "load_settings",
]

ENV_PREFIX = "RAPAT_"
DEFAULT_SQLITE_URL = "sqlite+aiosqlite:///./data/rapat.db"
PLACEHOLDER_SECRETS = frozenset({"change-me", "changeme", "secret", "dev", "development"})
MIN_SECRET_LENGTH = 32


class ConfigError(Exception):
    """Invalid configuration; the message names every offending environment variable."""


class Settings(BaseSettings):
    """Every variable is documented in `.env.example`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    env: Environment = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or
    # networks); none by default, so no client chooses the address it is counted under.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()

    database_url: str = DEFAULT_SQLITE_URL
    database_echo: bool = False
    database_pool_size: int = Field(default=10, ge=1, le=200)

    redis_url: str | None = None
    cache_key_prefix: str = Field(default="rapat:", min_length=1, max_length=64)

    secret_key: SecretStr | None = None
    data_dir: Path = Path("data")
    # Unset: http://<host>:<port> of where the server listens (see `links_url`).
    public_url: AnyHttpUrl | None = None
    access_token_ttl: int = Field(default=24 * 3600, ge=60, le=30 * 24 * 3600)
    refresh_token_ttl: int = Field(default=7 * 24 * 3600, ge=300, le=365 * 24 * 3600)
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)
    encryption_keys: SecretStr | None = None
    verify_email_ttl: int = Field(default=48 * 3600, ge=300)
    password_reset_ttl: int = Field(default=3600, ge=300, le=24 * 3600)

    smtp_url: SecretStr | None = None
    mail_from: str = Field(default="Rapat <no-reply@localhost>", min_length=3)
    # Development for one person: the dev mailbox shows every mail to anyone, signed in or
    # not (so a password-reset link can be read). Off: each signed-in person sees their own.
    dev_mailbox_show_all: bool = False

    rate_limits_enabled: bool = True
    rate_limit_api: str = Field(default="600/minute", min_length=3, max_length=100)

    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    cors_allow_credentials: bool = True
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    # Unset: the web app inside the installed package, else frontend/dist (a checkout).
    frontend_dir: Path | None = None
    # Pictures decoded at once, and uploads waiting for one (more get 503).
    avatar_decode_workers: int = Field(default=2, ge=1, le=32)
    avatar_decode_queue: int = Field(default=4, ge=0, le=256)

    ws_max_message_bytes: int = Field(default=256 * 1024, ge=1024, le=1024 * 1024)
    ws_messages_per_second: float = Field(default=20.0, gt=0, le=1000)
    ws_message_burst: int = Field(default=40, ge=1, le=10_000)
    ws_idle_timeout: float = Field(default=30.0, ge=0.1, le=3600)
    ws_grace_period: float = Field(default=15.0, ge=0, le=3600)
    ws_send_queue_size: int = Field(default=256, ge=8, le=100_000)
    ws_compression: bool = False
    ws_node_lease: float = Field(default=10.0, ge=0.5, le=600)
    ws_sweep_interval: float = Field(default=10.0, ge=0.2, le=3600)

    # Several processes or nodes (decision 61): see `ClusterConfig`.
    processes: int = Field(default=1, ge=1, le=64)
    node_url: str | None = None
    node_capacity: int = Field(default=200, ge=1, le=100_000)
    node_spill_load: float = Field(default=0.8, gt=0, le=100)
    node_ttl: float = Field(default=4.0, ge=0.5, le=600)

    sfu_enabled: bool = True
    sfu_bind_addresses: str = ""
    sfu_port_min: int = Field(default=0, ge=0, le=65535)
    sfu_port_max: int = Field(default=0, ge=0, le=65535)
    sfu_advertised_address: str | None = None
    sfu_keyframe_interval: float = Field(default=0.5, ge=0.05, le=10)
    sfu_sched_slice_us: int = 400

    recording_enabled: bool = True
    # Where finished recordings are kept: a directory (default <data_dir>/recording-store)
    # or a bucket of S3-compatible object storage.
    recording_store: Literal["local", "s3"] = "local"
    recording_store_dir: Path | None = None
    recording_s3_endpoint_url: AnyHttpUrl | None = None
    recording_s3_public_url: AnyHttpUrl | None = None
    recording_s3_bucket: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
    )
    recording_s3_region: str = Field(default="us-east-1", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    recording_s3_access_key: str | None = None
    recording_s3_secret_key: SecretStr | None = None
    recording_s3_create_bucket: bool = False
    recording_presigned_downloads: bool = True
    recording_presign_seconds: int = Field(default=300, ge=10, le=7 * 24 * 3600)
    recording_container: Literal["mp4", "webm"] = "mp4"
    recording_retention_days: int = Field(default=0, ge=0, le=36500)
    recording_keep_raw: bool = False
    recording_compose_threads: int = Field(default=1, ge=0, le=64)
    recording_link_ttl: int = Field(default=300, ge=30, le=24 * 3600)

    stun_urls: Annotated[tuple[str, ...], NoDecode] = ()
    turn_urls: Annotated[tuple[str, ...], NoDecode] = ()
    turn_secret: SecretStr | None = None
    turn_ttl: int = Field(default=24 * 3600, ge=60, le=7 * 24 * 3600)

    broker_url: SecretStr | None = None
    jobs_queue: str = Field(default="rapat", pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    job_max_attempts: int = Field(default=5, ge=1, le=50)
    job_retry_base_delay: float = Field(default=2.0, gt=0, le=3600)
    job_retry_max_delay: float = Field(default=600.0, gt=0, le=24 * 3600)
    worker_concurrency: int = Field(default=20, ge=1, le=1000)
    worker_metrics_port: int = Field(default=0, ge=0, le=65535)

    reminder_minutes: int = Field(default=15, ge=1, le=7 * 24 * 60)
    reminder_scan_seconds: int = Field(default=60, ge=1, le=3600)
    webhook_timeout: float = Field(default=10.0, gt=0, le=120)
    # Unset: private and loopback webhook targets are allowed in development only.
    webhook_allow_private: bool | None = None
    user_channel_presence_ttl: float = Field(default=60.0, ge=3, le=3600)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    otel_endpoint: AnyHttpUrl | None = None
    otel_service_name: str = "rapat"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg:// (async drivers)"
            )
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value or None

    @field_validator("rate_limit_api")
    @classmethod
    def _rate_syntax(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError:
            raise ValueError(f"not a rate limit: {value!r} (expected e.g. '600/minute')") from None
        return value

    @field_validator("broker_url")
    @classmethod
    def _amqp_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not value.get_secret_value().startswith(("amqp://", "amqps://")):
            raise ValueError("must start with amqp:// or amqps://")
        return value

    @field_validator("node_url")
    @classmethod
    def _node_url(cls, value: str | None) -> str | None:
        return check_node_url(value)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        return check_networks(value)

    @field_validator(
        "recording_store_dir",
        "recording_s3_endpoint_url",
        "recording_s3_public_url",
        "recording_s3_bucket",
        "recording_s3_access_key",
        "recording_s3_secret_key",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("stun_urls", "turn_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("stun_urls")
    @classmethod
    def _stun_scheme(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_ice_urls(value, ("stun:", "stuns:"))

    @field_validator("turn_urls")
    @classmethod
    def _turn_scheme(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_ice_urls(value, ("turn:", "turns:"))

    @field_validator("sfu_sched_slice_us")
    @classmethod
    def _slice(cls, value: int) -> int:
        return check_slice(value)

    @field_validator("sfu_bind_addresses", "sfu_advertised_address")
    @classmethod
    def _ip_addresses(cls, value: str | None) -> str | None:
        return check_ip_addresses(value)

    @model_validator(mode="after")
    def _cross_checks(self) -> Settings:
        if (self.sfu_port_min == 0) != (self.sfu_port_max == 0) or (
            self.sfu_port_min and not 1024 <= self.sfu_port_min <= self.sfu_port_max
        ):
            raise ValueError(
                "RAPAT_SFU_PORT_MIN/RAPAT_SFU_PORT_MAX: set both (1024 <= min <= max) or neither"
            )
        if "*" in self.cors_origins and self.cors_allow_credentials:
            raise ValueError(
                "RAPAT_CORS_ORIGINS: '*' cannot be combined with "
                "RAPAT_CORS_ALLOW_CREDENTIALS=true; list the origins explicitly"
            )
        if self.processes > 1 and not self.redis_url:
            raise ValueError(
                "RAPAT_PROCESSES: several processes share rooms through Redis; "
                "set RAPAT_REDIS_URL (or run one process)"
            )
        self._check_turn_secret()
        self._check_recording_store()
        if self.env == "production" and self.dev_mailbox_show_all:
            raise ValueError(
                "RAPAT_DEV_MAILBOX_SHOW_ALL: production has no development mailbox; "
                "the setting is for a development server used by one person"
            )
        secret = self.secret_key.get_secret_value() if self.secret_key else ""
        # HMAC keys as long as the hash output: shorter ones weaken the signature.
        needed = max(MIN_SECRET_LENGTH, int(self.jwt_algorithm[2:]) // 8)
        if self.env == "production" and (
            len(secret) < needed or secret.lower() in PLACEHOLDER_SECRETS
        ):
            raise ValueError(
                f"RAPAT_SECRET_KEY: production needs a random secret of at least "
                f"{needed} characters (e.g. `openssl rand -hex 32`)"
            )
        if secret and len(secret) < needed:
            raise ValueError(
                f"RAPAT_SECRET_KEY: {self.jwt_algorithm} needs a secret of at least "
                f"{needed} characters"
            )
        return self

    def _check_turn_secret(self) -> None:
        turn_secret = self.turn_secret.get_secret_value() if self.turn_secret else ""
        if self.turn_urls and not turn_secret:
            raise ValueError(
                "RAPAT_TURN_SECRET: RAPAT_TURN_URLS needs the TURN server's shared secret "
                "(coturn's static-auth-secret)"
            )
        if (
            self.env == "production"
            and turn_secret
            and (len(turn_secret) < MIN_SECRET_LENGTH or turn_secret.lower() in PLACEHOLDER_SECRETS)
        ):
            raise ValueError(
                f"RAPAT_TURN_SECRET: production needs a random secret of at least "
                f"{MIN_SECRET_LENGTH} characters (e.g. `openssl rand -hex 32`)"
            )

    def _check_recording_store(self) -> None:
        if self.recording_store == "s3" and not (
            self.recording_s3_endpoint_url and self.recording_s3_bucket
        ):
            raise ValueError(
                "RAPAT_RECORDING_STORE=s3 needs RAPAT_RECORDING_S3_ENDPOINT_URL and "
                "RAPAT_RECORDING_S3_BUCKET"
            )
        if (self.recording_s3_access_key is None) != (self.recording_s3_secret_key is None):
            raise ValueError(
                "RAPAT_RECORDING_S3_ACCESS_KEY/RAPAT_RECORDING_S3_SECRET_KEY: set both, or "
                "neither to use the AWS_* variables or the machine's role"
            )

    @property
    def links_url(self) -> str:
        """The address put in invitations and emailed links: RAPAT_PUBLIC_URL, or else
        where the server listens, so a server moved to another port keeps working links."""
        if self.public_url is not None:
            return str(self.public_url).rstrip("/")
        return listening_url(self.host, self.port)

    @property
    def turn(self) -> TurnConfig:
        return TurnConfig(
            stun_urls=self.stun_urls,
            turn_urls=self.turn_urls,
            secret=(self.turn_secret.get_secret_value() if self.turn_secret else None) or None,
            ttl=self.turn_ttl,
        )

    @property
    def sfu(self) -> SfuConfig:
        return SfuConfig(
            enabled=self.sfu_enabled,
            bind_addresses=tuple(
                a.strip() for a in self.sfu_bind_addresses.split(",") if a.strip()
            ),
            port_min=self.sfu_port_min,
            port_max=self.sfu_port_max,
            advertised_address=self.sfu_advertised_address or None,
            keyframe_interval=self.sfu_keyframe_interval,
            sched_slice_us=self.sfu_sched_slice_us,
        )

    @property
    def recording(self) -> RecordingConfig:
        return RecordingConfig(
            enabled=self.recording_enabled,
            directory=self.data_dir / "recordings",
            container=self.recording_container,
            retention_days=self.recording_retention_days,
            keep_raw=self.recording_keep_raw,
            compose_threads=self.recording_compose_threads,
            link_ttl=self.recording_link_ttl,
            store=RecordingStoreConfig(
                kind=self.recording_store,
                directory=self.recording_store_dir or self.data_dir / "recording-store",
                s3=self._s3_store() if self.recording_store == "s3" else None,
                presigned_downloads=self.recording_presigned_downloads,
                presign_seconds=self.recording_presign_seconds,
            ),
        )

    def _s3_store(self) -> S3StoreConfig:
        secret = self.recording_s3_secret_key
        return S3StoreConfig(
            endpoint_url=str(self.recording_s3_endpoint_url).rstrip("/"),
            bucket=self.recording_s3_bucket or "",
            region=self.recording_s3_region,
            access_key=self.recording_s3_access_key,
            secret_key=secret.get_secret_value() if secret else None,
            public_url=(
                str(self.recording_s3_public_url).rstrip("/")
                if self.recording_s3_public_url
                else None
            ),
            create_bucket=self.recording_s3_create_bucket,
        )

    @property
    def server(self) -> ServerConfig:
        return ServerConfig(host=self.host, port=self.port)

    @property
    def database(self) -> DatabaseConfig:
        return DatabaseConfig(
            url=self.database_url, echo=self.database_echo, pool_size=self.database_pool_size
        )

    @property
    def cache(self) -> CacheConfig:
        return CacheConfig(redis_url=self.redis_url, key_prefix=self.cache_key_prefix)

    @property
    def http(self) -> HttpConfig:
        return HttpConfig(
            cors_origins=self.cors_origins,
            cors_allow_credentials=self.cors_allow_credentials,
            max_body_bytes=self.max_body_bytes,
            frontend_dir=self.frontend_dir or default_frontend_dir(),
        )

    @property
    def avatars(self) -> AvatarConfig:
        return AvatarConfig(
            decode_workers=self.avatar_decode_workers, decode_queue=self.avatar_decode_queue
        )

    @property
    def observability(self) -> ObservabilityConfig:
        return ObservabilityConfig(
            environment=self.env,
            log_level=self.log_level,
            log_format=self.log_format,
            otel_endpoint=str(self.otel_endpoint) if self.otel_endpoint else None,
            service_name=self.otel_service_name,
        )

    @property
    def auth(self) -> AuthConfig:
        return AuthConfig(
            secret_key=self.secret_key.get_secret_value() if self.secret_key else None,
            data_dir=self.data_dir,
            access_token_ttl=self.access_token_ttl,
            refresh_token_ttl=self.refresh_token_ttl,
            jwt_algorithm=self.jwt_algorithm,
            bcrypt_rounds=self.bcrypt_rounds,
            encryption_keys=(
                self.encryption_keys.get_secret_value() if self.encryption_keys else None
            ),
            verify_email_ttl=self.verify_email_ttl,
            password_reset_ttl=self.password_reset_ttl,
            public_url=self.links_url,
        )

    @property
    def mail(self) -> MailConfig:
        return MailConfig(
            smtp_url=self.smtp_url.get_secret_value() if self.smtp_url else None,
            from_address=self.mail_from,
        )

    @property
    def signaling(self) -> SignalingConfig:
        return SignalingConfig(
            max_message_bytes=self.ws_max_message_bytes,
            messages_per_second=self.ws_messages_per_second,
            message_burst=self.ws_message_burst,
            idle_timeout=self.ws_idle_timeout,
            grace_period=self.ws_grace_period,
            send_queue_size=self.ws_send_queue_size,
            compression=self.ws_compression,
            node_lease=self.ws_node_lease,
            sweep_interval=self.ws_sweep_interval,
        )

    @property
    def cluster(self) -> ClusterConfig:
        return ClusterConfig(
            node_url=self.node_url or None,
            processes=self.processes,
            capacity=self.node_capacity,
            spill_load=self.node_spill_load,
            node_ttl=self.node_ttl,
        )

    @property
    def jobs(self) -> JobsConfig:
        return JobsConfig(
            broker_url=self.broker_url.get_secret_value() if self.broker_url else None,
            queue=self.jobs_queue,
            max_attempts=self.job_max_attempts,
            retry_base_delay=self.job_retry_base_delay,
            retry_max_delay=self.job_retry_max_delay,
            worker_concurrency=self.worker_concurrency,
            worker_metrics_port=self.worker_metrics_port,
        )

    @property
    def notifications(self) -> NotificationsConfig:
        allow_private = self.webhook_allow_private
        return NotificationsConfig(
            reminder_minutes=self.reminder_minutes,
            reminder_scan_seconds=self.reminder_scan_seconds,
            webhook_timeout=self.webhook_timeout,
            webhook_allow_private=(
                self.env == "development" if allow_private is None else allow_private
            ),
            user_channel_presence_ttl=self.user_channel_presence_ttl,
        )

    @property
    def rate_limits(self) -> RateLimitConfig:
        return RateLimitConfig(
            enabled=self.rate_limits_enabled,
            api_rate=self.rate_limit_api,
            redis_url=self.redis_url,
            key_prefix=self.cache_key_prefix + "ratelimit:",
        )


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, each naming the environment variable to fix."""
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        message = str(problem["msg"]).removeprefix("Value error, ")
        if field:
            lines.append(f"{ENV_PREFIX}{field.upper()}: {message}")
        else:
            lines.append(message)
    return "invalid configuration:\n  " + "\n  ".join(lines)


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; raise ConfigError naming every bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error)) from None
