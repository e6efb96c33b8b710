"""What is wrong or risky in a configuration that validation lets through: `rapat
check-config` lists every finding, and `rapat serve` warns at start about links that
would not reach the server (`listening_findings`).

Validation (`Settings`) refuses what can never work; these findings are about a working
server that is unsafe, or that some people could not use. Errors make `check-config` exit
with 1; warnings name a risk that can be intended (a reverse proxy, one machine)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from rapat.config import Settings
from rapat.config.processes import plan_for
from rapat.config.values import WILDCARD_HOSTS, listening_url

Severity = Literal["error", "warning"]
# A random secret (`openssl rand -hex 32`) has 16 distinct characters; a repeated word
# or keyboard pattern of the required length has far fewer.
MIN_DISTINCT_SECRET_CHARACTERS = 10
# Names that never leave a private network (RFC 6762 .local, RFC 8375 .home.arpa, …).
PRIVATE_SUFFIXES = (".localhost", ".local", ".lan", ".internal", ".home.arpa")
MIN_PRODUCTION_BCRYPT_ROUNDS = 10


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    variable: str  # the environment variable to change
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.variable}: {self.message}"


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_public(host: str) -> bool:
    """Reachable from the internet, as far as the name tells: an address unless loopback
    or private; a DNS name unless it is a single label or has a private suffix."""
    host = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    return not (host == "localhost" or host.endswith(PRIVATE_SUFFIXES) or "." not in host)


def _url_parts(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname or "", port


def _same_host(listen: str, public: str) -> bool | None:
    """Whether the public host names the listening one; None when it cannot be told
    without DNS (a name against an address)."""
    if listen in WILDCARD_HOSTS:
        return True
    if is_loopback(listen) or is_loopback(public):
        return is_loopback(listen) and is_loopback(public)
    try:
        return ipaddress.ip_address(listen) == ipaddress.ip_address(public.strip("[]"))
    except ValueError:
        return True if listen.lower() == public.lower() else None


def listening_findings(settings: Settings, host: str, port: int) -> list[Finding]:
    """Links (invitations, mails) that would not reach a server bound to host:port."""
    if settings.public_url is None:
        if host not in WILDCARD_HOSTS:
            return []  # links follow the listening address
        return [
            Finding(
                "warning",
                "RAPAT_PUBLIC_URL",
                f"unset while listening on every interface ({host or '*'}:{port}): links "
                f"in invitations and mails point at {listening_url(host, port)}, which only "
                "this machine opens. Set it to the address people open.",
            )
        ]
    scheme, public_host, public_port = _url_parts(settings.links_url)
    if scheme == "https" and public_port == 443:
        return []  # a reverse proxy terminates TLS (Rapat serves plain HTTP): expected
    reasons = []
    if public_port != port:
        reasons.append(f"port {public_port}, not {port}")
    if _same_host(host, public_host) is False:
        reasons.append(f"host {public_host}, not {host}")
    if not reasons:
        return []
    return [
        Finding(
            "warning",
            "RAPAT_PUBLIC_URL",
            f"{settings.links_url} (the address in invitations and mails) is not where the "
            f"server listens, {listening_url(host, port)}: {' and '.join(reasons)}. Behind "
            "a reverse proxy that is expected; a public URL on https port 443 is taken for "
            "one and not warned about.",
        )
    ]


def _weak(secret: str) -> bool:
    return len(set(secret)) < MIN_DISTINCT_SECRET_CHARACTERS


def _secret_findings(settings: Settings) -> list[Finding]:
    severity: Severity = "error" if settings.env == "production" else "warning"
    findings = []
    for variable, value in (
        ("RAPAT_SECRET_KEY", settings.secret_key),
        ("RAPAT_TURN_SECRET", settings.turn_secret),
    ):
        if value is not None and value.get_secret_value() and _weak(value.get_secret_value()):
            distinct = len(set(value.get_secret_value()))
            findings.append(
                Finding(
                    severity,
                    variable,
                    f"only {distinct} distinct characters: not a random secret "
                    "(make one with `openssl rand -hex 32`)",
                )
            )
    return findings


def _mode_findings(settings: Settings) -> list[Finding]:
    _, public_host, _ = _url_parts(settings.links_url)
    if settings.env == "production" or not is_public(public_host):
        return []
    return [
        Finding(
            "warning",
            "RAPAT_ENV",
            f"{settings.env} on a public address ({public_host}): a secret kept in the data "
            "directory, mail shown in the development mailbox, webhooks to private "
            "addresses allowed. Set RAPAT_ENV=production.",
        )
    ]


def _https_findings(settings: Settings) -> list[Finding]:
    scheme, public_host, _ = _url_parts(settings.links_url)
    if scheme == "https" or is_loopback(public_host):
        return []
    return [
        Finding(
            "error" if settings.env == "production" else "warning",
            "RAPAT_PUBLIC_URL",
            f"{settings.links_url} is not https: browsers give cameras and microphones "
            "only to https pages (and localhost), and passwords and tokens would cross the "
            "network in clear. Put a TLS reverse proxy in front (docs/deployment.md).",
        )
    ]


def _turn_findings(settings: Settings) -> list[Finding]:
    _, public_host, _ = _url_parts(settings.links_url)
    if settings.turn_urls or not is_public(public_host):
        return []
    return [
        Finding(
            "warning",
            "RAPAT_TURN_URLS",
            "no TURN server on a public deployment: people whose network blocks UDP or "
            "sits behind a strict NAT get no audio or video (coturn: docs/operations.md).",
        )
    ]


def _database_findings(settings: Settings) -> list[Finding]:
    if not settings.database.is_sqlite:
        return []
    findings = []
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        findings.append(
            Finding(
                "error"
                if settings.env == "production" or settings.broker_url or settings.processes > 1
                else "warning",
                "RAPAT_DATABASE_URL",
                "SQLite in memory: everything is lost when the process stops, and no other "
                "process (`rapat worker`, a second node) sees it.",
            )
        )
    if settings.redis_url:
        findings.append(
            Finding(
                "warning",
                "RAPAT_DATABASE_URL",
                "SQLite with RAPAT_REDIS_URL: Redis joins several nodes, which need one "
                "database they all reach; a SQLite file belongs to one machine. Use "
                "PostgreSQL when more than one process serves.",
            )
        )
    if settings.broker_url:
        findings.append(
            Finding(
                "warning",
                "RAPAT_DATABASE_URL",
                "SQLite with RAPAT_BROKER_URL: `rapat worker` and the server write the same "
                "file, which works on one machine only, writers waiting for each other (up "
                "to 5 s). Use PostgreSQL for a worker on another machine.",
            )
        )
    return findings


def _bus_findings(settings: Settings) -> list[Finding]:
    if not settings.broker_url or settings.redis_url:
        return []
    return [
        Finding(
            "warning",
            "RAPAT_REDIS_URL",
            "RAPAT_BROKER_URL without Redis: jobs run in `rapat worker`, another process "
            "with its own in-process bus, so what they announce live (reminder "
            "notifications) never reaches the pages open on the server.",
        )
    ]


def _process_findings(settings: Settings) -> list[Finding]:
    """Several processes (`rapat serve --processes`): ports and URLs of their own."""
    if settings.processes == 1:
        return []
    try:
        plan_for(settings)
    except ValueError as error:
        variable, _, problem = str(error).partition(": ")
        return [Finding("error", variable, problem)]
    if settings.node_url is None and urlsplit(settings.links_url).scheme == "https":
        return [
            Finding(
                "warning",
                "RAPAT_NODE_URL",
                "unset with an https public URL: each process announces wss:// on its own "
                f"port ({settings.port + 1}, …), which a TLS proxy in front does not serve. "
                "Route a path per process and name it, e.g. "
                "wss://meet.example.com/node/{index}/ws (docs/deployment.md).",
            )
        ]
    return []


def writable_problem(directory: Path) -> str | None:
    """Why Rapat could not write in `directory` (created on demand), or None."""
    existing = directory
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a directory"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable by this user"
    return None


def _storage_findings(settings: Settings) -> list[Finding]:
    findings = []
    problem = writable_problem(settings.data_dir)
    if problem:
        findings.append(Finding("error", "RAPAT_DATA_DIR", f"{settings.data_dir}: {problem}"))
    store = settings.recording.store
    explicit_store = store.kind == "local" and settings.recording_store_dir is not None
    if explicit_store and (problem := writable_problem(store.directory)):
        findings.append(
            Finding("error", "RAPAT_RECORDING_STORE_DIR", f"{store.directory}: {problem}")
        )
    database = make_url(settings.database_url).database if settings.database.is_sqlite else None
    # Rapat creates the file's folder (storage/engine.py), so an ancestor will do.
    if database and database != ":memory:" and (problem := writable_problem(Path(database).parent)):
        findings.append(Finding("error", "RAPAT_DATABASE_URL", f"SQLite file: {problem}"))
    frontend = settings.http.frontend_dir
    if not (frontend / "index.html").is_file():
        findings.append(
            Finding(
                "warning",
                "RAPAT_FRONTEND_DIR",
                f"{frontend} holds no built web app (index.html): the API works, the "
                "pages answer 404. Build it (`npm run build` in frontend/) or install the "
                "wheel, which carries it.",
            )
        )
    return findings


def _proxy_findings(settings: Settings) -> list[Finding]:
    scheme, _, public_port = _url_parts(settings.links_url)
    behind_proxy = scheme == "https" and public_port == 443 and is_loopback(settings.host)
    if not behind_proxy or settings.trusted_proxies:
        return []
    return [
        Finding(
            "warning",
            "RAPAT_TRUSTED_PROXIES",
            "empty behind what looks like a reverse proxy (https public URL, loopback "
            "listener): every request counts under the proxy's address in rate limits and "
            "logs. Set it to the proxy's address, e.g. 127.0.0.1.",
        )
    ]


def _production_findings(settings: Settings) -> list[Finding]:
    if settings.env != "production":
        return []
    findings = []
    if settings.smtp_url is None:
        findings.append(
            Finding(
                "warning",
                "RAPAT_SMTP_URL",
                "unset in production: mail (address confirmations, password resets, "
                "invitations) is kept in memory and never sent.",
            )
        )
    if not settings.rate_limits_enabled:
        findings.append(
            Finding(
                "warning",
                "RAPAT_RATE_LIMITS_ENABLED",
                "false in production: password guessing and floods meet no limit.",
            )
        )
    if settings.webhook_allow_private:
        findings.append(
            Finding(
                "warning",
                "RAPAT_WEBHOOK_ALLOW_PRIVATE",
                "true in production: any account with a webhook can make the server call "
                "addresses on its own network (databases, metadata services).",
            )
        )
    if settings.bcrypt_rounds < MIN_PRODUCTION_BCRYPT_ROUNDS:
        findings.append(
            Finding(
                "warning",
                "RAPAT_BCRYPT_ROUNDS",
                f"{settings.bcrypt_rounds} in production: stolen password hashes are cheap "
                f"to guess; use {MIN_PRODUCTION_BCRYPT_ROUNDS} or more (12 is the default).",
            )
        )
    return findings


CHECKS: tuple[Callable[[Settings], list[Finding]], ...] = (
    lambda settings: listening_findings(settings, settings.host, settings.port),
    _secret_findings,
    _mode_findings,
    _https_findings,
    _turn_findings,
    _database_findings,
    _bus_findings,
    _process_findings,
    _storage_findings,
    _proxy_findings,
    _production_findings,
)


def check_settings(settings: Settings) -> list[Finding]:
    """Every finding, errors first."""
    findings = [finding for check in CHECKS for finding in check(settings)]
    return sorted(findings, key=lambda finding: finding.severity != "error")
