"""When one subscriber's copy of a simulcast video moves from one layer to another.

The subscriber's decoder can continue only from a keyframe of the new layer: the packets of
a layer other than the one forwarded are dropped until a packet that starts a keyframe of
the target layer; from it on, that layer is forwarded (the caller rebases sequence numbers,
timestamps and picture ids there). Meanwhile the current layer keeps flowing, so switching
down or up never leaves a gap. After a (re)start nothing is forwarded until a keyframe of
the target layer. The owner asks the publisher for a keyframe of the target layer when a
switch or restart says so, and again each `retry` seconds the wait lasts.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Verdict(enum.Enum):
    FORWARD = "forward"  # a packet of the current layer
    SWITCH = "switch"  # the target layer's keyframe: forward it, rebased, and stay on it
    DROP = "drop"
    DROP_AND_ASK = "drop_and_ask"  # still no keyframe of the target: ask again


@dataclass
class LayerSwitch:
    target: int = 0
    retry: float = 1.0
    current: int | None = field(default=None, init=False)  # None: waiting to (re)start
    switches: int = field(default=0, init=False)
    _asked_at: float | None = field(default=None, init=False)

    def restart(self, now: float) -> None:
        """Forward again from the next keyframe of the target (the caller asks for one)."""
        self.current = None
        self._asked_at = now

    def choose(self, layer: int, now: float) -> bool:
        """Aim at `layer`. True: ask the publisher for a keyframe of it now."""
        if layer == self.target:
            return False
        self.target = layer
        if layer == self.current:
            return False  # back to the layer still forwarded: nothing to wait for
        self._asked_at = now
        return True

    @property
    def pending(self) -> bool:
        """A keyframe of the target layer is awaited."""
        return self.current != self.target

    def admit(self, layer: int, starts_keyframe: bool, now: float) -> Verdict:
        if layer == self.current:
            return Verdict.FORWARD
        if layer != self.target:
            return Verdict.DROP
        if starts_keyframe:
            self.current = layer
            self.switches += 1
            return Verdict.SWITCH
        if self._asked_at is None or now - self._asked_at >= self.retry:
            self._asked_at = now
            return Verdict.DROP_AND_ASK
        return Verdict.DROP
