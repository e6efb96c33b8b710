"""The chat writer: batches, order, and nothing acked or broadcast before it is stored."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from rapat.conference.meeting import ChatLine
from rapat.domain.errors import Unavailable
from rapat.signaling.chat import ChatWriter, NotDelivered, PendingReply, Stored
from rapat.signaling.envelope import BusMessage

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class Database:
    """Records batches; `gate` holds a batch back until the test opens it."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.fail = False

    async def store(self, lines: Sequence[ChatLine]) -> None:
        await self.gate.wait()
        if self.fail:
            raise OSError("disk full")
        self.batches.append([line.text for line in lines])


class Channel:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.published: list[tuple[uuid.UUID, str]] = []
        self.stored_when_published: list[bool] = []

    async def publish(self, room_id: uuid.UUID, message: BusMessage) -> None:
        text = message.event["data"]["text"]
        self.published.append((room_id, text))
        stored = any(text in batch for batch in self.database.batches)
        self.stored_when_published.append(stored)


def writer(database: Database, channel: Channel, **sizes: int) -> ChatWriter:
    return ChatWriter(database.store, channel.publish, lambda: NOW, **sizes)


async def test_lines_queued_during_a_commit_share_the_next_transaction() -> None:
    database = Database()
    channel = Channel(database)
    chat = writer(database, channel, max_batch=30)
    room, author = uuid.uuid4(), uuid.uuid4()
    database.gate.clear()
    first = chat.submit(room, author, "Ana", "line 0")
    await asyncio.sleep(0)  # the first batch (one line) is now being stored
    rest = [chat.submit(room, author, "Ana", f"line {n}") for n in range(1, 50)]
    assert not first.done()  # nothing acked or broadcast before it is stored
    assert channel.published == []
    database.gate.set()
    outcomes = await asyncio.gather(first, *rest)
    await chat.close()
    assert [len(batch) for batch in database.batches] == [1, 30, 19]
    assert all(isinstance(outcome, Stored) for outcome in outcomes)
    assert len({outcome.message_id for outcome in outcomes if isinstance(outcome, Stored)}) == 50
    assert [text for _, text in channel.published] == [f"line {n}" for n in range(50)]
    assert all(channel.stored_when_published)
    assert (chat.batches, chat.running, chat.pending) == (3, False, 0)


async def test_a_failed_batch_is_reported_to_each_sender_and_never_broadcast() -> None:
    database = Database()
    database.fail = True
    channel = Channel(database)
    chat = writer(database, channel)
    futures = [chat.submit(uuid.uuid4(), uuid.uuid4(), "Ana", f"x{n}") for n in range(3)]
    outcomes = await asyncio.gather(*futures)
    assert all(isinstance(outcome, Unavailable) for outcome in outcomes)
    assert channel.published == []
    reply = PendingReply("c1", futures[0]).event()
    assert reply == {
        "type": "error",
        "id": "c1",
        "data": {
            "code": "unavailable",
            "message": "The message could not be stored; send it again.",
        },
    }
    database.fail = False
    stored = await chat.submit(uuid.uuid4(), uuid.uuid4(), "Ana", "again")
    assert isinstance(stored, Stored)
    ack = PendingReply("c2", asyncio.get_running_loop().create_future())
    ack.outcome.set_result(stored)
    assert ack.event() == {
        "type": "ack",
        "id": "c2",
        "data": {"message_id": str(stored.message_id), "created_at": NOW.isoformat()},
    }


async def test_a_full_queue_refuses_new_lines() -> None:
    database = Database()
    database.gate.clear()
    chat = writer(database, Channel(database), max_pending=2)
    room, author = uuid.uuid4(), uuid.uuid4()
    first = chat.submit(room, author, "Ana", "a")
    await asyncio.sleep(0)  # taken into a batch: no longer queued
    queued = [chat.submit(room, author, "Ana", text) for text in "bc"]
    with pytest.raises(Unavailable) as refused:
        chat.submit(room, author, "Ana", "d")
    assert refused.value.code == "busy"
    database.gate.set()
    await asyncio.gather(first, *queued)
    await chat.close()
    assert database.batches == [["a"], ["b", "c"]]


def test_sizes_must_be_positive() -> None:
    database = Database()
    with pytest.raises(ValueError, match="positive"):
        writer(database, Channel(database), max_batch=0)


async def test_rooms_are_published_side_by_side_each_in_order() -> None:
    database = Database()
    slow_room, quick_room = uuid.uuid4(), uuid.uuid4()
    published: list[tuple[uuid.UUID, str]] = []
    release = asyncio.Event()

    async def publish(room_id: uuid.UUID, message: BusMessage) -> None:
        if room_id == slow_room:
            await release.wait()  # a slow round trip for this room only
        published.append((room_id, message.event["data"]["text"]))

    chat = ChatWriter(database.store, publish, lambda: NOW)
    database.gate.clear()
    lines = [
        chat.submit(room, uuid.uuid4(), "Ana", f"{name}{n}")
        for n in range(3)
        for room, name in ((slow_room, "s"), (quick_room, "q"))
    ]
    database.gate.set()
    await asyncio.gather(*lines[1::2])  # the quick room's lines are published and acked
    assert published == [(quick_room, f"q{n}") for n in range(3)]  # not held up
    assert not any(line.done() for line in lines[::2])  # acked only once published
    release.set()
    await asyncio.gather(*lines[::2])
    await chat.close()
    assert [text for room, text in published if room == slow_room] == ["s0", "s1", "s2"]


class PickyDatabase(Database):
    """Refuses any batch holding a line whose text starts with "bad", as PostgreSQL
    refuses a whole transaction for one row it cannot store; counts every attempt."""

    def __init__(self) -> None:
        super().__init__()
        self.attempts = 0

    async def store(self, lines: Sequence[ChatLine]) -> None:
        self.attempts += 1
        if self.fail or any(line.text.startswith("bad") for line in lines):
            raise ValueError("invalid byte sequence")
        self.batches.append([line.text for line in lines])


async def test_a_line_the_database_refuses_fails_alone() -> None:
    database = PickyDatabase()
    channel = Channel(database)
    chat = writer(database, channel, max_batch=64)
    database.gate.clear()
    first = chat.submit(uuid.uuid4(), uuid.uuid4(), "Ana", "warm-up")
    await asyncio.sleep(0)
    texts = [f"line {n}" for n in range(40)]
    texts[7], texts[31] = "bad one", "bad two"
    rooms = [uuid.uuid4() for _ in range(3)]  # other people, other rooms, same batch
    futures = [chat.submit(rooms[n % 3], uuid.uuid4(), "Budi", t) for n, t in enumerate(texts)]
    database.gate.set()
    await first
    outcomes = await asyncio.gather(*futures)
    await chat.close()
    refused = [t for t, o in zip(texts, outcomes, strict=True) if isinstance(o, Unavailable)]
    assert refused == ["bad one", "bad two"]
    good = [t for t in texts if not t.startswith("bad")]
    assert sorted(t for batch in database.batches[1:] for t in batch) == sorted(good)
    # Every stored line is broadcast after it was stored, each room's in order; none of
    # the refused ones.
    published = [text for _, text in channel.published if text != "warm-up"]
    assert sorted(published) == sorted(good)
    for room in rooms:
        sent = [text for room_id, text in channel.published if room_id == room]
        assert sent == [t for n, t in enumerate(texts) if n % 3 == rooms.index(room) and t in good]
    assert all(channel.stored_when_published)


async def test_a_store_that_is_down_is_not_tried_line_by_line() -> None:
    database = PickyDatabase()
    database.fail = True
    channel = Channel(database)
    chat = writer(database, channel, max_batch=500)
    database.gate.clear()
    first = chat.submit(uuid.uuid4(), uuid.uuid4(), "Ana", "warm-up")
    await asyncio.sleep(0)
    futures = [chat.submit(uuid.uuid4(), uuid.uuid4(), "Ana", f"x{n}") for n in range(500)]
    database.gate.set()
    await first
    outcomes = await asyncio.gather(*futures)
    assert all(isinstance(outcome, Unavailable) for outcome in outcomes)
    assert channel.published == []
    # The batch, its halves down to one line (nine levels), then three single lines.
    assert database.attempts < 25


async def test_a_line_the_bus_does_not_take_is_kept_and_reported_not_delivered() -> None:
    database = Database()
    attempts: list[str] = []

    async def publish(room_id: uuid.UUID, message: BusMessage) -> None:
        attempts.append(message.event["data"]["text"])
        if len(attempts) >= 2:
            raise ConnectionError("redis went away")

    chat = ChatWriter(database.store, publish, lambda: NOW)
    database.gate.clear()
    room = uuid.uuid4()
    futures = [chat.submit(room, uuid.uuid4(), "Ana", f"x{n}") for n in range(5)]
    database.gate.set()
    outcomes = await asyncio.gather(*futures)
    await chat.close()
    assert database.batches == [["x0", "x1", "x2", "x3", "x4"]]  # all kept
    assert isinstance(outcomes[0], Stored)
    assert all(isinstance(outcome, NotDelivered) for outcome in outcomes[1:])
    assert attempts == ["x0", "x1"]  # the rest of the batch does not wait on a dead bus
    assert chat.undelivered == 4
    missed = outcomes[1]
    assert isinstance(missed, NotDelivered)
    assert PendingReply("c1", futures[1]).event() == {
        "type": "error",
        "id": "c1",
        "data": {
            "code": "not_delivered",
            "message": "The message was saved but could not be delivered live; "
            "it is in the transcript, do not send it again.",
            "message_id": str(missed.message_id),
            "created_at": NOW.isoformat(),
        },
    }
