"""One of the processes of `rapat serve --processes N`, started by the supervisor as
`python -m rapat.serving.child`: it serves the app on the sockets the supervisor bound
and handed down (the shared public port and its own port), with one uvicorn server.

Its settings come from the environment the supervisor prepared (its node URL, its media
ports, `RAPAT_PROCESSES=1`). Exit codes the supervisor reads: 2, the configuration is
wrong or the app could not be built; 3, the app's start-up failed; 0 after SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
from collections.abc import Sequence

import structlog
import uvicorn

from rapat.config import ConfigError, load_settings
from rapat.observability.logging import configure_logging
from rapat.serving.server import APP_FACTORY, server_options, tune_gc

CONFIG_ERROR = 2
STARTUP_FAILURE = 3  # what uvicorn itself exits with when the app's lifespan start fails


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rapat-process")
    # The index and port are for people reading `ps`: the sockets are already bound.
    parser.add_argument("--index", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--listen-fd", type=int, action="append", required=True)
    parser.add_argument("--parent-fd", type=int, required=True)
    parser.add_argument("--forwarded-allow-ips", default=None)
    return parser


def stop_with_parent(fd: int) -> None:
    """SIGTERM ourselves (a graceful stop) when the supervisor is gone. The supervisor
    holds the only write end of this pipe, so reading it returns (end of file) exactly
    when the supervisor has exited, even by SIGKILL; without this a killed supervisor
    would leave its processes serving, holding the port."""

    def watch() -> None:
        while os.read(fd, 1):
            pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stop_with_parent(args.parent_fd)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"rapat: {error}", file=sys.stderr)
        return CONFIG_ERROR
    configure_logging(settings.log_level, settings.log_format)
    # Every line this process logs says which one it is (the tasks inherit the context).
    structlog.contextvars.bind_contextvars(process=args.index)
    tune_gc()
    config = uvicorn.Config(APP_FACTORY, **server_options(settings, args.forwarded_allow_ips))
    try:
        config.load()  # builds the app; uvicorn logs why it could not and exits with 1
    except SystemExit:
        return CONFIG_ERROR  # not a crash that a restart would mend
    server = uvicorn.Server(config)
    server.run(sockets=[socket.socket(fileno=fd) for fd in args.listen_fd])
    return 0 if server.started else STARTUP_FAILURE


if __name__ == "__main__":
    sys.exit(main())
