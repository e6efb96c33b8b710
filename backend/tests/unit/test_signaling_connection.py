"""One connection against a loopback socket and the in-process bus: a client that stops
reading is disconnected instead of growing memory, and nothing is left behind."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Sequence
from typing import Any, cast

import structlog.testing
from starlette.websockets import WebSocketState

from rapat.bus import memory_bus
from rapat.conference.live_state import LiveRooms
from rapat.conference.meeting import Admission, ChatLine
from rapat.config import SignalingConfig
from rapat.domain.identity import Principal
from rapat.domain.permissions import Role
from rapat.services.room_settings import RoomSettings
from rapat.signaling.chat import ChatWriter
from rapat.signaling.connection import Connection
from rapat.signaling.context import Context
from rapat.signaling.envelope import BusMessage, Received
from rapat.signaling.fanout import RoomFanout
from rapat.signaling.messages import event
from rapat.storage.types import utcnow
from tests.waiting import wait_until


class StuckSocket:
    """A client that never sends and never reads."""

    application_state = WebSocketState.CONNECTED

    def __init__(self) -> None:
        self.closed_with: int | None = None

    async def receive(self) -> dict[str, Any]:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def send_text(self, text: str) -> None:
        await asyncio.Event().wait()

    async def close(self, code: int = 1000) -> None:
        self.closed_with = code
        self.application_state = WebSocketState.DISCONNECTED


class QuietSocket(StuckSocket):
    """A client that reads everything and never sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []

    async def send_text(self, text: str) -> None:
        self.sent.append(json.loads(text))


async def _store_nothing(lines: Sequence[ChatLine]) -> None:
    raise AssertionError("these tests send no chat")


async def _publish_nothing(room_id: uuid.UUID, message: BusMessage) -> None:
    raise AssertionError("these tests send no chat")


def make_connection(
    socket: StuckSocket, *, queue: int = 8, expires_in: float = 3600.0
) -> tuple[Connection, Context, uuid.UUID]:
    bus = memory_bus()
    config = SignalingConfig(
        max_message_bytes=65536,
        messages_per_second=20,
        message_burst=40,
        idle_timeout=30,
        grace_period=15,
        send_queue_size=queue,
    )
    context = Context(
        config=config,
        auth=cast(Any, None),
        rooms=cast(Any, None),
        meetings=cast(Any, None),
        live=LiveRooms(bus.kv, bus.presence, ttl=60),
        pubsub=bus.pubsub,
        presence=bus.presence,
        chat=ChatWriter(_store_nothing, _publish_nothing, utcnow),
    )
    room_id, user_id = uuid.uuid4(), uuid.uuid4()
    admission = Admission(room_id, user_id, "Ana", Role.PARTICIPANT, RoomSettings())
    principal = Principal(user_id, uuid.uuid4())
    expires_at = context.clock() + expires_in
    fanout = RoomFanout(context.pubsub)
    connection = Connection(
        context, cast(Any, socket), principal, admission, expires_at, fanout=fanout
    )
    return connection, context, room_id


async def test_a_client_that_stops_reading_is_disconnected() -> None:
    socket = StuckSocket()
    connection, context, room_id = make_connection(socket)
    pubsub = cast(Any, context.pubsub)
    tasks_before = len(asyncio.all_tasks())
    running = asyncio.create_task(connection.run(resumed=False))
    for _ in range(100):  # until the connection has subscribed to its room
        if pubsub.subscriber_channels():
            break
        await asyncio.sleep(0)
    for n in range(50):
        await context.publish(room_id, BusMessage(event("chat", {"n": n})))
        await asyncio.sleep(0)
    outcome = await asyncio.wait_for(running, 5)
    assert (outcome.close_code, outcome.keep_seat) == (4503, True)
    assert socket.closed_with == 4503
    assert pubsub.subscriber_channels() == []
    assert len(asyncio.all_tasks()) == tasks_before


async def test_an_expired_token_ends_the_connection_but_keeps_the_seat() -> None:
    socket = QuietSocket()
    connection, _, _ = make_connection(socket, expires_in=0.2)
    outcome = await asyncio.wait_for(connection.run(resumed=False), 5)
    assert (outcome.close_code, outcome.keep_seat) == (4401, True)
    assert [sent["type"] for sent in socket.sent] == ["room_state", "error"]
    assert socket.sent[-1]["data"]["code"] == "token_expired"
    assert socket.closed_with == 4401


class LeavingSocket(QuietSocket):
    """A client that reads everything and hangs up when told to."""

    def __init__(self) -> None:
        super().__init__()
        self.hang_up = asyncio.Event()

    async def receive(self) -> dict[str, Any]:
        await self.hang_up.wait()
        return {"type": "websocket.disconnect"}


async def test_events_dropped_by_a_full_subscription_are_logged() -> None:
    socket = LeavingSocket()
    connection, context, room_id = make_connection(socket, queue=4096)
    pubsub = cast(Any, context.pubsub)
    running = asyncio.create_task(connection.run(resumed=False))
    for _ in range(100):
        if pubsub.subscriber_channels():
            break
        await asyncio.sleep(0)
    with structlog.testing.capture_logs() as logs:
        # A burst larger than the subscription's inbox, published before the listener runs.
        for n in range(1500):
            await context.publish(room_id, BusMessage(event("chat", {"n": n})))
        await wait_until(
            lambda: any(entry["event"] == "signaling_events_dropped" for entry in logs),
            2.0,
            lambda: f"signaling_events_dropped in the logs; first entries: {logs[:5]}",
            interval=0.01,
        )
    socket.hang_up.set()
    await asyncio.wait_for(running, 5)
    dropped = [entry for entry in logs if entry["event"] == "signaling_events_dropped"]
    assert dropped, logs[:5]
    assert dropped[0]["dropped"] > 0


async def test_room_events_never_overtake_room_state() -> None:
    socket = QuietSocket()
    connection, _, _ = make_connection(socket, expires_in=0.3)
    # Delivered by the room's fan-out before the connection has sent its room_state
    # (with Redis, others' joins arrive while the connection is still starting).
    connection.deliver(Received.decode(BusMessage(event("chat", {"text": "early"})).encode()))
    outcome = await asyncio.wait_for(connection.run(resumed=False), 5)
    assert outcome.close_code == 4401
    assert [sent["type"] for sent in socket.sent] == ["room_state", "chat", "error"]


class GatedPresence:
    """The in-process presence, whose `touch` waits for the test to open the gate."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    async def touch(self, group: str, member: str, ttl: float) -> None:
        self.entered.set()
        await self.gate.wait()
        await self.inner.touch(group, member, ttl)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class TalkingSocket(QuietSocket):
    """A client that sends the frames the test feeds it, and counts its reads."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: asyncio.Queue[str] = asyncio.Queue()
        self.reads = 0

    async def receive(self) -> dict[str, Any]:
        self.reads += 1
        return {"type": "websocket.receive", "text": await self.frames.get()}


async def test_a_lost_room_subscription_closes_with_1013_and_answers_what_was_read() -> None:
    socket = TalkingSocket()
    connection, context, _ = make_connection(socket)
    presence = GatedPresence(context.presence)
    object.__setattr__(context, "presence", presence)  # the owner is held inside start()
    running = asyncio.create_task(connection.run(resumed=False))
    await asyncio.wait_for(presence.entered.wait(), 5)
    connection.lost()  # the bus lost the room's events...
    for n in (1, 2):  # ...and then the client sent two requests
        socket.frames.put_nowait(json.dumps({"type": "ping", "id": f"p{n}"}))
    await wait_until(lambda: socket.reads == 3, 5, "both requests read")
    presence.gate.set()
    outcome = await asyncio.wait_for(running, 5)
    assert (outcome.close_code, outcome.keep_seat) == (1013, True)
    assert socket.closed_with == 1013
    assert [sent["type"] for sent in socket.sent] == ["room_state", "error", "error"]
    assert [(sent["id"], sent["data"]["code"]) for sent in socket.sent[1:]] == [
        ("p1", "unavailable"),
        ("p2", "unavailable"),
    ]
