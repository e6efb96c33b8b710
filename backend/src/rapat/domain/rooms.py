"""Room rules that need no I/O: status transitions."""

from __future__ import annotations

from rapat.domain.errors import Conflict

ACTIVE, ENDED, CANCELLED = "active", "ended", "cancelled"

_TRANSITIONS: dict[str, frozenset[str]] = {
    ACTIVE: frozenset({ENDED, CANCELLED}),
    ENDED: frozenset(),
    CANCELLED: frozenset(),
}


def check_transition(current: str, target: str) -> None:
    if target == current or target not in _TRANSITIONS.get(current, frozenset()):
        raise Conflict(
            f"A room that is {current} cannot become {target}.",
            code="invalid_transition",
            details={"from": current, "to": target},
        )


def refusal_to_join(status: str) -> Conflict | None:
    if status == ENDED:
        return Conflict("This meeting has ended.", code="room_ended")
    if status == CANCELLED:
        return Conflict("This meeting was cancelled.", code="room_cancelled")
    return None
