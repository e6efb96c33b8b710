"""How `rapat serve --processes N` divides one machine's settings among its processes: each
process's own port, the signaling URL it announces, and its share of the media ports.

Pure functions of the settings' values (no I/O): the supervisor starts processes from the
plan, and `rapat check-config` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from rapat.config import Settings

MAX_PORT = 65535
# A process needs a UDP port per participant's connection; fewer than this is a range
# split by mistake rather than a deployment.
MIN_MEDIA_PORTS_PER_PROCESS = 2
PLACEHOLDERS = ("{index}", "{port}")


@dataclass(frozen=True, slots=True)
class ProcessPlan:
    """One of the N processes: `index` 1..N, the port only it listens on, the URL browsers
    open for its signaling, and its UDP media range (None: any free port)."""

    index: int
    port: int
    node_url: str
    media_ports: tuple[int, int] | None


def node_ports(port: int, processes: int) -> list[int]:
    """Each process's own port: the ports after the shared one (8081, 8082, … for 8080)."""
    last = port + processes
    if last > MAX_PORT:
        raise ValueError(
            f"RAPAT_PORT: {processes} processes listen on ports {port + 1}-{last} besides "
            f"{port}, past {MAX_PORT}; choose a lower port"
        )
    return [port + index for index in range(1, processes + 1)]


def expand_node_url(template: str, index: int, port: int) -> str:
    """`{index}` and `{port}` filled in. Plain replacement, not `str.format`: other braces
    in a URL are left as they are."""
    return template.replace("{index}", str(index)).replace("{port}", str(port))


def default_node_url(links_url: str, port: int) -> str:
    """The URL of a process's own port on the host people open: ws://, or wss:// under an
    https page (browsers refuse ws:// there). Behind a TLS proxy that port is not public:
    RAPAT_NODE_URL must then name the route the proxy gives each process."""
    parts = urlsplit(links_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    host = parts.hostname or "127.0.0.1"
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}/ws"


def split_port_range(low: int, high: int, parts: int) -> list[tuple[int, int]]:
    """`low..high` (inclusive) cut into `parts` disjoint ranges, in order, whose sizes
    differ by one at most."""
    count = high - low + 1
    size, extra = divmod(count, parts)
    if size < MIN_MEDIA_PORTS_PER_PROCESS:
        raise ValueError(
            f"RAPAT_SFU_PORT_MIN/RAPAT_SFU_PORT_MAX: {count} port(s) for {parts} processes; "
            f"each process needs at least {MIN_MEDIA_PORTS_PER_PROCESS} of its own, so "
            f"widen the range to {parts * MIN_MEDIA_PORTS_PER_PROCESS} ports or more"
        )
    ranges = []
    start = low
    for index in range(parts):
        end = start + size + (1 if index < extra else 0) - 1
        ranges.append((start, end))
        start = end + 1
    return ranges


def plan_processes(
    *,
    processes: int,
    port: int,
    links_url: str,
    node_url: str | None,
    media_ports: tuple[int, int] | None,
) -> list[ProcessPlan]:
    """The N processes of one `rapat serve`; ValueError naming the variable to change when
    the settings cannot be divided."""
    if node_url and not any(placeholder in node_url for placeholder in PLACEHOLDERS):
        raise ValueError(
            f"RAPAT_NODE_URL: {processes} processes would all announce {node_url}; "
            "put {index} or {port} in it so each names its own process"
        )
    ports = node_ports(port, processes)
    ranges: list[tuple[int, int] | None] = (
        list(split_port_range(*media_ports, processes)) if media_ports else [None] * processes
    )
    return [
        ProcessPlan(
            index=index,
            port=own,
            node_url=(
                expand_node_url(node_url, index, own)
                if node_url
                else default_node_url(links_url, own)
            ),
            media_ports=ranges[index - 1],
        )
        for index, own in enumerate(ports, start=1)
    ]


def plan_for(settings: Settings) -> list[ProcessPlan]:
    """The plan of `settings.processes` processes on `settings.port`."""
    sfu = settings.sfu
    return plan_processes(
        processes=settings.processes,
        port=settings.port,
        links_url=settings.links_url,
        node_url=settings.node_url,
        media_ports=(sfu.port_min, sfu.port_max) if sfu.port_min else None,
    )
