"""What every server process does the same way, whether it serves alone (`rapat serve`)
or as one of several (`rapat serve --processes N`): the uvicorn options and the garbage
collector's tuning."""

from __future__ import annotations

import asyncio
import gc
import socket
from typing import Any

import uvicorn

from rapat.app import drain_running
from rapat.config import Settings
from rapat.observability.logging import get_logger

APP_FACTORY = "rapat.app:create_app_from_env"
GC_THRESHOLDS = (50_000, 50, 100)
# Seconds uvicorn lets open requests and sockets finish after SIGTERM.
GRACEFUL_SHUTDOWN = 10
# Seconds a planned stop waits for its clients to move to other nodes (decision 61).
DRAIN_TIMEOUT = 5.0

_log = get_logger("rapat.serving")


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


def server_options(settings: Settings, proxies: str | None) -> dict[str, Any]:
    """uvicorn's options for the app, apart from where it listens and reloading."""
    return {
        "factory": True,
        "log_config": None,
        "access_log": False,  # our request middleware writes the access line, with its id
        "server_header": False,
        "proxy_headers": proxies is not None,
        "forwarded_allow_ips": proxies,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN,
        "ws_per_message_deflate": settings.signaling.compression,
    }


class DrainingServer(uvicorn.Server):
    """uvicorn's server, which on a planned stop (SIGTERM, Ctrl-C) first sends this
    process's meeting clients to their rooms' new homes while it still accepts them
    elsewhere, then closes its sockets as uvicorn does (decision 61). A process outside
    placement, or the last one taking rooms, moves nobody."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            async with asyncio.timeout(DRAIN_TIMEOUT):
                moved = await drain_running()
            if moved:
                _log.info("drained", moved=moved)
        except TimeoutError:
            _log.warning("drain_timed_out", seconds=DRAIN_TIMEOUT)
        except Exception:  # a failed drain must not keep the process from stopping
            _log.exception("drain_failed")
        await super().shutdown(sockets)


def run_server(options: dict[str, Any], *, reload: bool) -> bool:
    """Serve the app alone until stopped; whether it started. With `reload`, uvicorn's
    reloader runs the server in a child of its own (development: no drain)."""
    if reload:
        uvicorn.run(APP_FACTORY, reload=True, **options)
        return True
    server = DrainingServer(uvicorn.Config(APP_FACTORY, **options))
    server.run()
    return server.started
