"""ICE host candidates on configured addresses and ports.

`bind_host_candidates` replaces how aioice gathers host candidates (every interface,
any port) on each ICE agent of a connection: it binds the configured addresses, on ports
from a range, and can announce another address (1:1 NAT).
"""

from __future__ import annotations

import asyncio
import errno
import socket
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from aioice import Candidate
from aioice.candidate import candidate_foundation, candidate_priority
from aioice.ice import Connection, StunProtocol
from aiortc import RTCPeerConnection

from rapat.sfu.hooks.internals import get_private


class PortRange(Protocol):
    def candidates(self) -> Iterable[int]: ...


async def _bind(address: str, ports: PortRange | None, factory: Callable[[], StunProtocol]) -> Any:
    loop = asyncio.get_running_loop()
    for port in ports.candidates() if ports is not None else (0,):
        try:
            _, protocol = await loop.create_datagram_endpoint(factory, local_addr=(address, port))
            return protocol
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE, f"No free UDP port on {address} in the configured range.")


def bind_host_candidates(
    pc: RTCPeerConnection,
    addresses: list[str],
    ports: PortRange | None,
    advertised: str | None,
) -> None:
    """Make every ICE agent of `pc` not yet gathering bind `addresses` (ports from `ports`)
    and announce `advertised` instead of the bound address when set (1:1 NAT)."""
    bind_to = list(addresses)
    for transport in get_private(pc, RTCPeerConnection, "iceTransports"):
        connection: Connection = transport.iceGatherer._connection
        if getattr(connection, "_rapat_bound", False) or connection._local_candidates_start:
            continue
        connection._rapat_bound = True  # type: ignore[attr-defined]

        async def gather_host(
            component: int,
            addresses: list[str],  # what aioice found; `bind_to` replaces it
            timeout: int = 5,  # noqa: ASYNC109 - aioice's signature
            connection: Connection = connection,
        ) -> list[Candidate]:
            candidates = []
            for address in bind_to:
                protocol = await _bind(address, ports, lambda: StunProtocol(connection))
                bound = protocol.transport.get_extra_info("sockname")
                sock = protocol.transport.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
                host = advertised or bound[0]
                protocol.local_candidate = Candidate(
                    foundation=candidate_foundation("host", "udp", host),
                    component=component,
                    transport="udp",
                    priority=candidate_priority(component, "host"),
                    host=host,
                    port=bound[1],
                    type="host",
                )
                connection._protocols.append(protocol)
                candidates.append(protocol.local_candidate)
            return candidates

        connection.get_component_candidates = gather_host  # type: ignore[method-assign]
