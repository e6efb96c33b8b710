"""Where the SFU's ICE agents listen and what address they announce."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass


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


@dataclass(frozen=True, slots=True)
class NetworkOptions:
    """`bind_addresses` empty means every interface address aioice finds (it skips loopback);
    `advertised_address` replaces the bound address in candidates (a 1:1 NAT, a container)."""

    bind_addresses: tuple[str, ...] = ()
    ports: PortRange | None = None
    advertised_address: str | None = None
