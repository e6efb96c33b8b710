"""The chat writer: chat lines are stored in batches, then broadcast, then answered.

One database transaction per line caps a node at a few hundred lines a second (and one
connection per line exhausts a PostgreSQL pool). Here lines queue up while the previous
batch commits, and the next batch takes everything queued (up to `max_batch`) in one
transaction, so a busy node commits many lines per round trip.

The ack rule (decision 45): a line is acknowledged only after it was stored **and**
published to its room on the bus, so an acked line is in the transcript and on its way to
everyone connected. A node whose subscription is lost closes its sockets (1013), so
"everyone connected" holds: whoever might have missed it reconnects and reloads.
- The store fails: the sender gets `unavailable`; nothing was stored or broadcast.
  If a batch fails, it is stored again in halves, so that a line the database refuses
  fails alone; when single lines keep failing the store itself is down, and the rest of
  the batch fails at once.
- The publish fails (the bus is down): the line stays stored (the transcript loses
  nothing) and the sender gets `not_delivered`, carrying the line's id and time: it is
  in the transcript, others get it when they reload it, it must not be sent again. After
  one failed publish the rest of the batch is not tried (same answer), so a batch does
  not wait on a dead bus line by line.

The writer's task runs only while lines are queued, so an idle node holds no task.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapat.conference.meeting import ChatLine
from rapat.domain.errors import DomainError, Unavailable
from rapat.observability.logging import get_logger
from rapat.signaling.envelope import BusMessage
from rapat.signaling.messages import error_event, event

_log = get_logger("rapat.signaling")

Store = Callable[[Sequence[ChatLine]], Awaitable[None]]
Publish = Callable[[uuid.UUID, BusMessage], Awaitable[None]]
Clock = Callable[[], datetime]

DEFAULT_MAX_BATCH = 500
DEFAULT_MAX_PENDING = 20_000
# Rooms of one batch published at the same time (below the Redis client's pool size).
PUBLISH_CONCURRENCY = 16
# Single lines refused in a row, with nothing stored between them, that mean the store
# itself is failing rather than one line.
OUTAGE_AFTER = 3


@dataclass(frozen=True, slots=True)
class Stored:
    """The answer to a stored line: its id and time, as the sender's ack carries them."""

    message_id: uuid.UUID
    created_at: datetime

    def reply(self) -> dict[str, str]:
        return {"message_id": str(self.message_id), "created_at": self.created_at.isoformat()}


@dataclass(frozen=True, slots=True)
class NotDelivered:
    """A stored line the bus did not take: the sender's error names it, so the client
    keeps it (with this id) and others find it in the transcript."""

    message_id: uuid.UUID
    created_at: datetime

    def error(self, request_id: str | None) -> dict[str, Any]:
        answer = error_event(
            "not_delivered",
            "The message was saved but could not be delivered live; "
            "it is in the transcript, do not send it again.",
            request_id,
        )
        answer["data"] |= Stored(self.message_id, self.created_at).reply()
        return answer


ChatOutcome = Stored | NotDelivered | DomainError


@dataclass(frozen=True, slots=True)
class _Pending:
    line: ChatLine
    author_name: str
    done: asyncio.Future[ChatOutcome]


class ChatWriter:
    def __init__(
        self,
        store: Store,
        publish: Publish,
        clock: Clock,
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
        max_pending: int = DEFAULT_MAX_PENDING,
    ) -> None:
        if max_batch < 1 or max_pending < 1:
            raise ValueError(f"batch and queue sizes must be positive: {max_batch}/{max_pending}")
        self._store = store
        self._publish = publish
        self._clock = clock
        self._max_batch = max_batch
        self._max_pending = max_pending
        self._queue: deque[_Pending] = deque()
        self._task: asyncio.Task[None] | None = None
        self.batches = 0  # committed batches (the tests and the benchmark read it)
        self.undelivered = 0  # stored lines the bus did not take (answered not_delivered)

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def running(self) -> bool:
        return self._task is not None

    def submit(
        self, room_id: uuid.UUID, author_id: uuid.UUID, author_name: str, text: str
    ) -> asyncio.Future[ChatOutcome]:
        """Queue a line; the future gives its stored id and time, or the error to report.
        Its result is set, never an exception, so a sender that went away leaves no
        unretrieved error behind. Raises `Unavailable` when too much is queued already."""
        if len(self._queue) >= self._max_pending:
            raise Unavailable("The server is busy; send the message again.", code="busy")
        line = ChatLine(uuid.uuid4(), room_id, author_id, text, self._clock())
        done: asyncio.Future[ChatOutcome] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(line, author_name, done))
        if self._task is None:
            self._task = asyncio.create_task(self._drain(), name="chat-writer")
        return done

    async def close(self) -> None:
        """Store and broadcast what is queued (at shutdown, after the connections ended)."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def _drain(self) -> None:
        try:
            while self._queue:
                count = min(len(self._queue), self._max_batch)
                batch = [self._queue.popleft() for _ in range(count)]
                await self._commit(batch)
        finally:
            self._task = None

    async def _commit(self, batch: list[_Pending]) -> None:
        try:
            await self._store([pending.line for pending in batch])
        except Exception:
            _log.exception("chat_store_failed", lines=len(batch))
            stored = await self._store_apart(batch) if len(batch) > 1 else []
        else:
            stored = batch
        failure = Unavailable("The message could not be stored; send it again.")
        kept = {id(pending) for pending in stored}
        for pending in batch:
            if id(pending) not in kept:
                _settle(pending.done, failure)
        if not stored:
            return
        self.batches += 1
        await self._broadcast(stored)

    async def _store_apart(self, batch: list[_Pending]) -> list[_Pending]:
        """What can be stored of a batch the store refused as a whole, in order: halves,
        recursively, down to the lines it refuses. After `OUTAGE_AFTER` single lines in
        a row fail with nothing stored between them, the rest is not tried."""
        parts: deque[list[_Pending]] = deque(_halves(batch))
        stored: list[_Pending] = []
        refused_in_a_row = 0
        while parts and refused_in_a_row < OUTAGE_AFTER:
            part = parts.popleft()
            try:
                await self._store([pending.line for pending in part])
            except Exception:
                if len(part) > 1:
                    parts.extendleft(reversed(_halves(part)))
                else:
                    refused_in_a_row += 1
                    _log.warning("chat_line_refused", room_id=str(part[0].line.room_id))
                continue
            refused_in_a_row = 0
            stored.extend(part)
        return stored

    async def _broadcast(self, batch: list[_Pending]) -> None:
        """Each room's lines in commit order, each answered once published; rooms side
        by side, so that with Redis a batch waits for a few round trips rather than one
        per line."""
        rooms: dict[uuid.UUID, list[_Pending]] = {}
        for pending in batch:
            rooms.setdefault(pending.line.room_id, []).append(pending)
        bus = _BusState()
        if len(rooms) == 1:
            await self._publish_room(batch, bus)
            return
        gate = asyncio.Semaphore(PUBLISH_CONCURRENCY)

        async def in_turn(lines: list[_Pending]) -> None:
            async with gate:
                await self._publish_room(lines, bus)

        await asyncio.gather(*(in_turn(lines) for lines in rooms.values()))

    async def _publish_room(self, lines: list[_Pending], bus: _BusState) -> None:
        for pending in lines:
            line = pending.line
            if not bus.failed:
                try:
                    await self._publish(line.room_id, BusMessage(_chat_event(pending)))
                except Exception:  # stored: the transcript has it, the sender is told
                    bus.failed = True
                    _log.exception("chat_publish_failed", room_id=str(line.room_id))
                else:
                    _settle(pending.done, Stored(line.id, line.created_at))
                    continue
            self.undelivered += 1
            _settle(pending.done, NotDelivered(line.id, line.created_at))


@dataclass(slots=True)
class _BusState:
    """Shared by the rooms of one batch: after one failed publish the rest is not tried."""

    failed: bool = False


@dataclass(frozen=True, slots=True)
class PendingReply:
    """The answer to a chat line, still being stored; the connection's writer sends it
    in its place among the other replies."""

    message_id: str | None
    outcome: asyncio.Future[ChatOutcome]

    def event(self) -> dict[str, Any]:
        outcome = self.outcome.result()
        if isinstance(outcome, DomainError):
            return error_event(outcome.code, outcome.message, self.message_id)
        if isinstance(outcome, NotDelivered):
            return outcome.error(self.message_id)
        return event("ack", outcome.reply(), self.message_id)


def _halves(batch: list[_Pending]) -> list[list[_Pending]]:
    middle = len(batch) // 2
    return [batch[:middle], batch[middle:]]


def _settle(done: asyncio.Future[ChatOutcome], outcome: ChatOutcome) -> None:
    if not done.done():
        done.set_result(outcome)


def _chat_event(pending: _Pending) -> dict[str, object]:
    line = pending.line
    return event(
        "chat",
        {
            "message_id": str(line.id),
            "created_at": line.created_at.isoformat(),
            "author": {"id": str(line.user_id), "name": pending.author_name},
            "text": line.text,
        },
    )
