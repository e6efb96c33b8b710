"""Pure helpers for webhooks: which URLs may receive them, and the signature.

A delivery carries ``X-Rapat-Signature: t=<unix seconds>,v1=<hex>`` where the hex is
HMAC-SHA256 with the webhook's secret over ``"<t>.<raw body>"``; receivers recompute it
and refuse old timestamps to stop replays.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import socket
from urllib.parse import urlsplit

from rapat.domain.errors import InvalidInput

SIGNATURE_HEADER = "X-Rapat-Signature"
EVENT_HEADER = "X-Rapat-Event"
DELIVERY_HEADER = "X-Rapat-Delivery"
MAX_URL_LENGTH = 2048


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (used by our tests): a matching signature, recent enough."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def check_url_shape(url: str) -> tuple[str, int]:
    """(host, port) of an absolute http(s) URL without credentials; InvalidInput otherwise."""
    if len(url) > MAX_URL_LENGTH or any(char.isspace() for char in url):
        raise InvalidInput("The URL is too long or contains spaces.", code="invalid_url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("Webhooks need an absolute http(s) URL.", code="invalid_url")
    if parts.username or parts.password:
        raise InvalidInput("Put credentials in the secret, not in the URL.", code="invalid_url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidInput("The URL's port is not valid.", code="invalid_url") from None
    return parts.hostname, port


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_target(url: str, *, allow_private: bool) -> None:
    """Refuse URLs whose host resolves to a loopback, private or otherwise non-public
    address unless allowed (checked at registration and again before every delivery, so a
    DNS change cannot point an accepted hook at the internal network)."""
    host, port = check_url_shape(url)
    if allow_private:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise InvalidInput(f"The host {host!r} cannot be resolved.", code="invalid_url") from None
    addresses = {str(info[4][0]) for info in infos}
    if not addresses or not all(is_public_address(address) for address in addresses):
        raise InvalidInput(
            "Webhook URLs must point at a public address.", code="private_webhook_target"
        )
