"""Whether one subscriber's copy of a video track forwards a packet.

A decoder can start only at a keyframe: a delta frame before it shows as a corrupt
picture. So a copy forwards nothing after each (re)start (a new subscription, the
publisher's camera back on, the picture back under the room's cap, the subscriber showing
the video again) until a packet that starts a keyframe; the packets before it are dropped
before the sequence is rewritten, so the subscriber sees no gap to NACK. While the
subscriber hides the video (off screen, tab hidden) nothing is forwarded at all.

The owner asks the publisher for a keyframe when a restart says so, and again when the
wait has gone on for `retry` seconds (the first request, or the keyframe, may be lost).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Step(enum.Enum):
    FORWARD = "forward"
    DROP = "drop"
    DROP_AND_ASK = "drop_and_ask"  # still no keyframe: ask the publisher again


@dataclass
class ForwardGate:
    retry: float = 1.0
    _waiting: bool = field(default=True, init=False)  # for a keyframe
    _hidden: bool = field(default=False, init=False)
    _asked_at: float | None = field(default=None, init=False)

    @property
    def open(self) -> bool:
        """Every packet goes through (the caller's fast path skips `admit`)."""
        return not (self._waiting or self._hidden)

    @property
    def hidden(self) -> bool:
        return self._hidden

    def restart(self, now: float) -> bool:
        """Forward again from the next keyframe on. True: ask the publisher for one now."""
        self._waiting = True
        if self._hidden:
            return False  # asked for when shown again
        self._asked_at = now
        return True

    def set_hidden(self, hidden: bool, now: float) -> bool:
        """The subscriber hides (or shows again) the video. True: ask for a keyframe now."""
        if hidden == self._hidden:
            return False
        self._hidden = hidden
        return False if hidden else self.restart(now)

    def admit(self, starts_keyframe: bool, now: float) -> Step:
        if self._hidden:
            return Step.DROP
        if not self._waiting or starts_keyframe:
            self._waiting = False
            return Step.FORWARD
        if self._asked_at is None or now - self._asked_at >= self.retry:
            self._asked_at = now
            return Step.DROP_AND_ASK
        return Step.DROP
