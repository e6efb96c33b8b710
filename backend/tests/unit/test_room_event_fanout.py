"""The room-event fan-out: every subscriber hears every event, in order, and one
subscriber's failure reaches neither the others nor the caller."""

from __future__ import annotations

import uuid
from typing import Any

from rapat.conference.live_state import ParticipantState
from rapat.domain.permissions import Role
from rapat.services.room_event_sink import PARTICIPANT_LEFT, ROOM_ENDED, RoomEventFanout
from rapat.storage.models import Room


def _room() -> Room:
    return Room(id=uuid.uuid4(), name="Planning")


async def test_every_subscriber_hears_every_event_in_order() -> None:
    heard: list[tuple[str, str, dict[str, Any], uuid.UUID | None]] = []

    def listener(label: str) -> Any:
        async def hear(
            event: str, room: Room, data: dict[str, Any], actor: uuid.UUID | None
        ) -> None:
            heard.append((label, event, data, actor))

        return hear

    fanout = RoomEventFanout()
    fanout.subscribe(listener("hub"))
    fanout.subscribe(listener("webhooks"))
    actor = uuid.uuid4()
    await fanout.emit(ROOM_ENDED, _room(), {}, actor)
    await fanout.emit(PARTICIPANT_LEFT, _room(), {"reason": "left"}, None)
    assert heard == [
        ("hub", ROOM_ENDED, {}, actor),
        ("webhooks", ROOM_ENDED, {}, actor),
        ("hub", PARTICIPANT_LEFT, {"reason": "left"}, None),
        ("webhooks", PARTICIPANT_LEFT, {"reason": "left"}, None),
    ]


async def test_a_failing_subscriber_does_not_keep_the_event_from_the_others() -> None:
    heard: list[str] = []

    async def broken(*_: object) -> None:
        raise RuntimeError("the bus is down")

    async def webhooks(event: str, *_: object) -> None:
        heard.append(event)

    fanout = RoomEventFanout()
    fanout.subscribe(broken)
    fanout.subscribe(webhooks)
    await fanout.emit(ROOM_ENDED, _room(), {}, None)  # does not raise
    assert heard == [ROOM_ENDED]


def _state(**changes: Any) -> ParticipantState:
    base = ParticipantState(
        user_id="u1", name="Ana", role="participant", muted=False, video=True, screen=True
    )
    return base.changed(**changes)


def test_an_observer_publishes_nothing() -> None:
    assert _state().with_role(Role.OBSERVER) == _state(
        role="observer", muted=True, video=False, screen=False
    )


def test_other_roles_keep_their_media() -> None:
    assert _state().with_role(Role.MODERATOR) == _state(role="moderator")
