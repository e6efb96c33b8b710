"""Who is speaking, from the audio levels publishers put in their RTP (RFC 6464).

Each packet carries the level of its audio in -dBov (0 loudest, 127 silence). Levels are
averaged per publisher over a window; the loudest publisher above a floor becomes the
candidate. The active speaker changes only when a candidate stays louder than the current
speaker by a margin for `hold` consecutive windows, so a cough or crosstalk does not flicker
the ring from tile to tile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SILENCE = 127


@dataclass
class SpeakerDetector:
    floor: int = 60  # -dBov quieter than this is not speech (60 = -60 dBov)
    margin: float = 6.0  # dB a challenger must beat the current speaker by
    hold: int = 2  # consecutive windows the challenger must keep winning
    _sums: dict[str, float] = field(default_factory=dict, init=False)
    _counts: dict[str, int] = field(default_factory=dict, init=False)
    _current: str | None = field(default=None, init=False)
    _challenger: str | None = field(default=None, init=False)
    _streak: int = field(default=0, init=False)
    levels: dict[str, float] = field(default_factory=dict, init=False)

    @property
    def current(self) -> str | None:
        return self._current

    def observe(self, who: str, level: int) -> None:
        """One packet's level (0-127, smaller is louder)."""
        self._sums[who] = self._sums.get(who, 0.0) + min(max(level, 0), SILENCE)
        self._counts[who] = self._counts.get(who, 0) + 1

    def forget(self, who: str) -> None:
        for table in (self._sums, self._counts, self.levels):
            table.pop(who, None)
        if self._current == who:
            self._current = None
        if self._challenger == who:
            self._challenger, self._streak = None, 0

    def tick(self) -> str | None:
        """Close the window. Returns the new active speaker when it changed, else None."""
        self.levels = {who: self._sums[who] / self._counts[who] for who in self._counts}
        self._sums.clear()
        self._counts.clear()
        speaking = {who: level for who, level in self.levels.items() if level <= self.floor}
        if not speaking:
            self._challenger, self._streak = None, 0
            return None
        loudest = min(speaking, key=lambda who: speaking[who])
        if loudest == self._current:
            self._challenger, self._streak = None, 0
            return None
        current_level = self.levels.get(self._current, SILENCE) if self._current else SILENCE
        if self._current is not None and current_level - speaking[loudest] < self.margin:
            self._challenger, self._streak = None, 0
            return None
        self._streak = self._streak + 1 if loudest == self._challenger else 1
        self._challenger = loudest
        if self._current is not None and self._streak < self.hold:
            return None
        self._current, self._challenger, self._streak = loudest, None, 0
        return loudest
