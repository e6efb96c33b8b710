"""STUN/TURN servers for a caller's peer connection, with ephemeral TURN credentials.

The credentials follow coturn's TURN REST API scheme (`use-auth-secret`): the username is
`<expiry unix time>:<user id>` and the password is base64(HMAC-SHA1(shared secret, username)).
The TURN server recomputes the HMAC with the same secret and refuses a username whose expiry
has passed, so nothing is stored and a leaked credential stops working on its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

from rapat.config import TurnConfig


@dataclass(frozen=True, slots=True)
class TurnCredential:
    username: str
    credential: str
    expires_at: int  # unix time


@dataclass(frozen=True, slots=True)
class IceServer:
    """One entry of the browser's `RTCConfiguration.iceServers`."""

    urls: tuple[str, ...]
    username: str | None = None
    credential: str | None = None


@dataclass(frozen=True, slots=True)
class IceServers:
    servers: tuple[IceServer, ...]
    ttl: int
    expires_at: int | None  # when the TURN credential stops working; None without TURN


def turn_credential(secret: str, user: str, expires_at: int) -> TurnCredential:
    """The REST-API credential for `user` valid until `expires_at` (unix seconds)."""
    if not secret:
        raise ValueError("the TURN shared secret is empty")
    if ":" in user:  # coturn takes the part before the first ':' as the expiry
        raise ValueError(f"user {user!r} contains ':'")
    username = f"{expires_at}:{user}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return TurnCredential(username, base64.b64encode(digest).decode("ascii"), expires_at)


class IceServerIssuer:
    """Builds the ICE server list from configuration; TURN entries get a fresh credential."""

    def __init__(self, config: TurnConfig, clock: Callable[[], float] = time.time) -> None:
        self._config = config
        self._clock = clock

    def issue(self, user: str) -> IceServers:
        config = self._config
        servers: list[IceServer] = []
        if config.stun_urls:
            servers.append(IceServer(config.stun_urls))
        expires_at = None
        if config.turn_urls and config.secret:
            expires_at = int(self._clock()) + config.ttl
            issued = turn_credential(config.secret, user, expires_at)
            servers.append(IceServer(config.turn_urls, issued.username, issued.credential))
        return IceServers(tuple(servers), config.ttl, expires_at)
