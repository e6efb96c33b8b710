"""Where the SFU's ICE agents listen and what address they announce."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from aioice.ice import get_host_addresses


@dataclass(frozen=True, slots=True)
class PortRange:
    low: int
    high: int

    def __post_init__(self) -> None:
        if not 1024 <= self.low <= self.high <= 65535:
            raise ValueError("The UDP port range must lie within 1024-65535, low <= high.")

    def candidates(self) -> Iterator[int]:
        """Every port of the range once, from a random start (spreads concurrent binds)."""
        size = self.high - self.low + 1
        start = secrets.randbelow(size)
        for step in range(size):
            yield self.low + (start + step) % size


def host_addresses(found: list[str] | None = None) -> tuple[str, ...]:
    """What to bind when nothing is configured: every non-loopback interface address (as
    aioice finds them), or loopback on a machine that has nothing else, so one person can
    still try a meeting between two browsers on it."""
    addresses = get_host_addresses(use_ipv4=True, use_ipv6=True) if found is None else found
    return tuple(addresses) or ("127.0.0.1",)


@dataclass(frozen=True, slots=True)
class NetworkOptions:
    """`bind_addresses` empty means every interface address aioice finds (it skips loopback);
    `advertised_address` replaces the bound address in candidates (a 1:1 NAT, a container)."""

    bind_addresses: tuple[str, ...] = ()
    ports: PortRange | None = None
    advertised_address: str | None = None
