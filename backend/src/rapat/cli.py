"""The `rapat` command: serve, worker, migrate, check-config, version."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

import uvicorn

from rapat import __version__
from rapat.config import ENV_PREFIX, ConfigError, Settings, load_settings
from rapat.config.check import check_settings, listening_findings
from rapat.config.display import effective_lines
from rapat.observability.logging import configure_logging, get_logger
from rapat.serving.server import APP_FACTORY, server_options, trusted_proxies, tune_gc
from rapat.serving.supervisor import run_supervisor
from rapat.storage import migrate
from rapat.worker import WorkerConfigError, run_worker

_log = get_logger("rapat.cli")


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    processes = args.processes or settings.processes
    if processes > 1:
        return _serve_processes(args, processes)
    configure_logging(settings.log_level, settings.log_format)
    tune_gc()
    host, port = args.host or settings.host, args.port or settings.port
    # The app reads its settings again (uvicorn's factory, in this process or the
    # reloader's child): --host/--port reach it this way, and links follow them.
    os.environ[f"{ENV_PREFIX}HOST"], os.environ[f"{ENV_PREFIX}PORT"] = host, str(port)
    if args.processes is not None:  # --processes 1 over RAPAT_PROCESSES=4: the app is one
        os.environ[f"{ENV_PREFIX}PROCESSES"] = "1"
    for finding in listening_findings(settings, host, port):
        _log.warning("public_url_mismatch", variable=finding.variable, problem=finding.message)
    proxies = trusted_proxies(args.forwarded_allow_ips, settings.trusted_proxies)
    uvicorn.run(
        APP_FACTORY,
        host=host,
        port=port,
        reload=args.reload,
        **server_options(settings, proxies),
    )
    return 0


def _serve_processes(args: argparse.Namespace, processes: int) -> int:
    """Several processes under a supervisor (rapat/serving/supervisor.py)."""
    if args.reload:
        print(
            f"rapat: --reload restarts one process; it cannot supervise {processes}. "
            "Drop --reload, or serve one process (--processes 1, RAPAT_PROCESSES=1)",
            file=sys.stderr,
        )
        return 2
    overrides: dict[str, object] = {"processes": processes}
    overrides |= {"host": args.host} if args.host else {}
    overrides |= {"port": args.port} if args.port else {}
    try:  # validated again with the options: several processes need Redis, …
        settings = load_settings(**overrides)
    except ConfigError as error:
        print(f"rapat: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    for finding in listening_findings(settings, settings.host, settings.port):
        _log.warning("public_url_mismatch", variable=finding.variable, problem=finding.message)
    proxies = trusted_proxies(args.forwarded_allow_ips, settings.trusted_proxies)
    return run_supervisor(settings, proxies)


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


def _process_count(value: str) -> int:
    """A count of 1 or more (the setting's own bound applies after: RAPAT_PROCESSES)."""
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number, not {value!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"at least 1, not {count}")
    return count


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rapat", description="Rapat video meetings.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web server")
    serve.add_argument("--host", help="bind address (default RAPAT_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default RAPAT_PORT or 8080)")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (dev)")
    serve.add_argument(
        "--processes",
        type=_process_count,
        help="server processes, one per core; several need Redis (default RAPAT_PROCESSES or 1)",
    )
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
