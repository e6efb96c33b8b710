"""The `rapat` command: serve, worker, migrate, check-config, version."""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
from collections.abc import Sequence

import uvicorn

from rapat import __version__
from rapat.config import ENV_PREFIX, ConfigError, Settings, load_settings
from rapat.config.check import check_settings, listening_findings
from rapat.config.display import effective_lines
from rapat.observability.logging import configure_logging, get_logger
from rapat.storage import migrate
from rapat.worker import WorkerConfigError, run_worker

GC_THRESHOLDS = (50_000, 50, 100)

_log = get_logger("rapat.cli")


def tune_gc() -> None:
    """Fewer full collections for a long-running server. With the defaults, a node
    serving 2,000 WebSockets ran a full (generation 2) collection about once a second,
    each stopping everything for 0.1-0.5 s, because short-lived event objects that were
    queued at a collection got promoted. Objects alive at start are frozen out of
    collections; a larger first threshold lets short-lived objects die before one."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLDS[0], GC_THRESHOLDS[1], GC_THRESHOLDS[2])


def trusted_proxies(option: str | None, configured: tuple[str, ...]) -> str | None:
    """The proxies whose X-Forwarded-* headers uvicorn believes, or None: then the headers
    are not read at all, and the socket's peer is the client."""
    proxies = option if option is not None else ",".join(configured)
    return proxies if proxies.strip() else None


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    configure_logging(settings.log_level, settings.log_format)
    tune_gc()
    host, port = args.host or settings.host, args.port or settings.port
    # The app reads its settings again (uvicorn's factory, in this process or the
    # reloader's child): --host/--port reach it this way, and links follow them.
    os.environ[f"{ENV_PREFIX}HOST"], os.environ[f"{ENV_PREFIX}PORT"] = host, str(port)
    for finding in listening_findings(settings, host, port):
        _log.warning("public_url_mismatch", variable=finding.variable, problem=finding.message)
    proxies = trusted_proxies(args.forwarded_allow_ips, settings.trusted_proxies)
    uvicorn.run(
        "rapat.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        reload=args.reload,
        log_config=None,
        access_log=False,  # our request middleware writes the access line, with its request id
        server_header=False,
        proxy_headers=proxies is not None,
        forwarded_allow_ips=proxies,
        timeout_graceful_shutdown=10,
        ws_per_message_deflate=settings.signaling.compression,
    )
    return 0


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    configure_logging(settings.log_level, settings.log_format)
    try:
        asyncio.run(run_worker(settings, scheduler=not args.no_scheduler))
    except WorkerConfigError as error:
        print(f"rapat: {error}", file=sys.stderr)
        return 2
    return 0


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    url = settings.database_url
    if args.action == "check":
        drift = migrate.check_drift(url)
        for line in drift:
            print(f"drift: {line}")
        print("models and database agree" if not drift else f"{len(drift)} difference(s)")
        return 1 if drift else 0
    if args.action == "upgrade":
        migrate.upgrade(url, args.revision or "head")
    elif args.action == "downgrade":
        migrate.downgrade(url, args.revision or "-1")
    print(f"database at revision: {migrate.current(url) or 'base (empty)'}")
    return 0


def _check_config(settings: Settings) -> int:
    print("\n".join(effective_lines(settings)))
    findings = check_settings(settings)
    print()
    for finding in findings:
        print(finding)
    errors = sum(finding.severity == "error" for finding in findings)
    warnings = len(findings) - errors
    print(f"{errors} error(s), {warnings} warning(s)" if findings else "no problems found")
    return 1 if errors else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rapat", description="Rapat video meetings.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web server")
    serve.add_argument("--host", help="bind address (default RAPAT_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default RAPAT_PORT or 8080)")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (dev)")
    serve.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="proxies whose X-Forwarded-* headers are trusted, comma separated"
        " (default RAPAT_TRUSTED_PROXIES: none)",
    )

    worker = commands.add_parser("worker", help="run background jobs from RabbitMQ")
    worker.add_argument(
        "--no-scheduler",
        action="store_true",
        help="only run jobs; leave queuing timed jobs to another worker",
    )

    migrate = commands.add_parser("migrate", help="apply or undo database migrations")
    migrate.add_argument("action", choices=["upgrade", "downgrade", "current", "check"])
    migrate.add_argument(
        "revision", nargs="?", help="target (upgrade: head; downgrade: -1 or base)"
    )

    commands.add_parser(
        "check-config",
        help="print the effective configuration (secrets masked) and what is wrong or risky"
        " with it; exit 1 on errors",
    )
    commands.add_parser("version", help="print the version")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "version":
        print(f"rapat {__version__}")
        return 0
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"rapat: {error}", file=sys.stderr)
        return 1 if args.command == "check-config" else 2
    if args.command == "check-config":
        return _check_config(settings)
    if args.command == "serve":
        return _serve(args, settings)
    if args.command == "worker":
        return _worker(args, settings)
    return _migrate(args, settings)


if __name__ == "__main__":
    sys.exit(main())
