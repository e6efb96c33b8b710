"""Single values of the configuration: checks and derived defaults, with no I/O beyond
looking for the packaged web app."""

from __future__ import annotations

import ipaddress
from pathlib import Path

# The media thread's time slice Linux accepts (`sched_setattr`'s `sched_runtime`), in µs
# (see rapat/sfu/scheduling.py)
MIN_SLICE_US = 100
MAX_SLICE_US = 100_000
# Where a wheel carries the built web app (scripts/build_wheel.sh puts it there); a
# checkout serves the frontend's own build, relative to where Rapat starts.
PACKAGED_FRONTEND_DIR = Path(__file__).parents[1] / "web"
CHECKOUT_FRONTEND_DIR = Path("frontend/dist")
# Bind addresses meaning "every interface": no browser opens them.
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 (recognised, not bound)


def check_slice(slice_us: int) -> int:
    """0 (leave the kernel's default) or a slice the kernel accepts, in microseconds."""
    if slice_us != 0 and not MIN_SLICE_US <= slice_us <= MAX_SLICE_US:
        raise ValueError(
            f"The media thread's time slice must be 0 (the kernel's default) or "
            f"{MIN_SLICE_US}-{MAX_SLICE_US} µs, not {slice_us}."
        )
    return slice_us


def listening_url(host: str, port: int) -> str:
    """The address a browser on this machine opens to reach a server bound to host:port."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}"


def default_frontend_dir() -> Path:
    """The web app packaged in the wheel when there is one, else the checkout's build."""
    if (PACKAGED_FRONTEND_DIR / "index.html").is_file():
        return PACKAGED_FRONTEND_DIR
    return CHECKOUT_FRONTEND_DIR


def check_ice_urls(urls: tuple[str, ...], schemes: tuple[str, ...]) -> tuple[str, ...]:
    """RFC 7064/7065 URIs as browsers take them: `turn:host:port?transport=udp`."""
    for url in urls:
        if not url.startswith(schemes) or len(url) <= len(url.split(":", 1)[0]) + 1:
            raise ValueError(f"{url!r} is not a {' or '.join(schemes)} URL")
        if any(char.isspace() for char in url):
            raise ValueError(f"{url!r} contains white space")
    return urls


def check_node_url(value: str | None) -> str | None:
    """A node's signaling URL: ws:// or wss://, with a host; `{index}` and `{port}` are
    filled in per process by `rapat serve --processes`."""
    if value is None or not value.strip():
        return None
    url = value.strip()
    scheme, sep, rest = url.partition("://")
    if scheme not in ("ws", "wss") or not sep or not rest or rest.startswith("/"):
        raise ValueError(
            "must be a ws:// or wss:// URL with a host, e.g. wss://meet.example.com/ws"
        )
    return url


def check_networks(value: object) -> object:
    """Comma-separated addresses or networks (trusted proxies), as a tuple."""
    if isinstance(value, str):
        value = tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, tuple | list):
        for part in value:
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"not an address or network: {part!r}") from None
    return value


def check_ip_addresses(value: str | None) -> str | None:
    """Comma-separated IP addresses (the SFU's), kept as written; blank is empty."""
    for item in (value or "").split(","):
        if item.strip():
            try:
                ipaddress.ip_address(item.strip())
            except ValueError:
                raise ValueError(f"{item.strip()!r} is not an IP address") from None
    return value.strip() if value and value.strip() else (None if value is None else "")
