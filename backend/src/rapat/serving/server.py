"""What every server process does the same way, whether it serves alone (`rapat serve`)
or as one of several (`rapat serve --processes N`): the uvicorn options and the garbage
collector's tuning."""

from __future__ import annotations

import gc
from typing import Any

from rapat.config import Settings

APP_FACTORY = "rapat.app:create_app_from_env"
GC_THRESHOLDS = (50_000, 50, 100)
# Seconds uvicorn lets open requests and sockets finish after SIGTERM.
GRACEFUL_SHUTDOWN = 10


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
