"""Keyframe requests towards a publisher, rate-limited.

Every new subscriber and every decoder error asks for a keyframe; a publisher asked a dozen
times in the same instant would send a dozen keyframes. Requests inside the interval are
folded into one sent when the interval ends, so a late joiner still gets its keyframe
within `interval` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class KeyframeGate:
    interval: float = 0.5
    _last_sent: float | None = field(default=None, init=False)
    _pending: bool = field(default=False, init=False)

    def request(self, now: float) -> float | None:
        """Register a request at `now`. Returns 0.0 to send at once, a delay after which to
        send a folded request, or None when a folded request is already due."""
        if self._last_sent is None or now - self._last_sent >= self.interval:
            self._last_sent = now
            self._pending = False
            return 0.0
        if self._pending:
            return None
        self._pending = True
        return self._last_sent + self.interval - now

    def fire(self, now: float) -> None:
        """The folded request was sent."""
        self._pending = False
        self._last_sent = now
