"""A node as the others see it: where browsers reach its signaling, and how loaded it is.
Stored as JSON under the node's key; pure (no I/O)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

# Bumped if the record's shape changes incompatibly: nodes of another version are skipped.
RECORD_VERSION = 1


@dataclass(frozen=True, slots=True)
class NodeLoad:
    participants: int = 0  # WebSockets this node serves (people in meetings here)
    rooms: int = 0  # media rooms open here
    packets_per_second: float = 0.0  # RTP packets forwarded to subscribers
    cpu: float = 0.0  # this process's CPU use, in cores (1.0: one core busy)

    def score(self, capacity: int) -> float:
        """How full the node is, 0 (idle) and up; 1 means at capacity. CPU is what runs
        out first for a Python process (one core), participants is the configured limit;
        whichever is nearer its end counts."""
        return max(self.cpu, self.participants / max(1, capacity))


@dataclass(frozen=True, slots=True)
class NodeRecord:
    node_id: str
    url: str | None  # the signaling URL browsers open; None: only reachable via the origin
    load: NodeLoad
    draining: bool = False  # takes no new rooms (being upgraded or stopped)

    def encode(self) -> bytes:
        body = {"v": RECORD_VERSION, **asdict(self)}
        return json.dumps(body, separators=(",", ":")).encode()

    @classmethod
    def decode(cls, raw: bytes) -> NodeRecord | None:
        """None for anything that is not a record this version understands."""
        try:
            body = json.loads(raw)
            if body.get("v") != RECORD_VERSION:
                return None
            load = NodeLoad(**body["load"])
            url = body["url"]
            if not isinstance(body["node_id"], str) or not (url is None or isinstance(url, str)):
                return None
            return cls(body["node_id"], url, load, bool(body["draining"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


# Scores closer than this count as equal: a few hundredths of a core is noise, and rooms
# must not all go to whichever node measured least busy in its last second.
SCORE_STEP = 0.05


def least_loaded(
    records: list[NodeRecord], capacity: int, recent: Mapping[str, int] | None = None
) -> NodeRecord | None:
    """The node a new room goes to: reachable (has a URL), not draining, lowest score (in
    steps of SCORE_STEP); ties go to the node with fewer rooms, counting those placed on it
    since its record was written (`recent`: a burst of new rooms spreads out before any
    record shows them), then the lower id (every placer agrees)."""
    candidates = [r for r in records if r.url is not None and not r.draining]
    if not candidates:
        return None
    recent = recent or {}

    def rank(record: NodeRecord) -> tuple[int, int, str]:
        step = math.floor(record.load.score(capacity) / SCORE_STEP)
        return step, record.load.rooms + recent.get(record.node_id, 0), record.node_id

    return min(candidates, key=rank)


def signaling_origin(url: str) -> str:
    """The origin a browser connects to for a node's signaling URL (`ws://host:port`), as
    a page's Content-Security-Policy names it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
