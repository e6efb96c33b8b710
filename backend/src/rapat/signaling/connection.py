"""One participant's connection. `run` is the only code that touches the connection's
state; two helper tasks only move data: the reader (socket → inbox) and the writer
(bounded outbox → socket). Room events arrive through `deliver`, called by the node's
room fan-out: straight to the outbox for events that change nothing here, through the
inbox for the others. Replies leave in the order of the requests:
a chat line's ack waits in the outbox, in its place, until the line is stored."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from starlette.websockets import WebSocket, WebSocketState

from rapat.conference.meeting import Admission
from rapat.domain.errors import DomainError
from rapat.domain.identity import Principal
from rapat.signaling import close_codes
from rapat.signaling.actions import Actions, Outcome
from rapat.signaling.chat import PendingReply
from rapat.signaling.context import Context
from rapat.signaling.envelope import Received, encode_event
from rapat.signaling.fanout import RoomFanout
from rapat.signaling.messages import (
    ProtocolError,
    error_event,
    parse_client_message,
    request_id_of,
)
from rapat.signaling.outgoing import Outgoing
from rapat.signaling.rate import TokenBucket

FLUSH_SECONDS = 2.0
_CLOSING = "The connection is closing; nothing was done. Send it again once reconnected."
_TRY_AGAIN = Outcome(close_codes.TRY_AGAIN_LATER, keep_seat=True)

# Events the owner task must see: they end the connection or change its state.
# Events that end the connection or change what it may do (the room's settings).
_FOR_THE_OWNER = frozenset({"replaced", "removed", "room_ended", "room_settings"})


@dataclass(frozen=True, slots=True)
class _Frame:
    raw: str | bytes


@dataclass(frozen=True, slots=True)
class _Published:
    message: Received


@dataclass(frozen=True, slots=True)
class _Gone:
    pass


@dataclass(frozen=True, slots=True)
class _Overflowed:
    """The listener found the outbox full: the owner ends the connection."""


@dataclass(frozen=True, slots=True)
class _BusLost:
    """The room's events stopped coming: the owner ends the connection (1013)."""


@dataclass(frozen=True, slots=True)
class _Tick:
    """Time to check the idle clock and the token's expiry."""


_Inbound = _Frame | _Published | _Gone | _Overflowed | _BusLost | _Tick


# A queued `Outgoing` (signaling/outgoing.py); None asks the writer to stop.


class Connection:
    def __init__(
        self,
        context: Context,
        socket: WebSocket,
        principal: Principal,
        admission: Admission,
        expires_at: float,
        *,
        fanout: RoomFanout,
        on_joined: Callable[[], None] | None = None,
    ) -> None:
        self.id = uuid.uuid4().hex
        self.joined = False  # room_state was queued
        self._on_joined = on_joined
        self._context = context
        self._socket = socket
        self._inbox: asyncio.Queue[_Inbound] = asyncio.Queue(context.config.send_queue_size)
        self._outbox: asyncio.Queue[Outgoing | None] = asyncio.Queue(context.config.send_queue_size)
        self._fanout = fanout
        config = context.config
        now = context.clock()
        self._bucket = TokenBucket(config.messages_per_second, config.message_burst, now)
        self._last_frame = now
        self._last_refresh = now
        self._overflowed = False
        self._bus_lost = False
        self._session_ended = False
        self._moving = False
        # Room events queued for the owner; 1 until `room_state` is sent, so that no
        # event overtakes it.
        self._via_owner = 1
        self._timer: asyncio.TimerHandle | None = None
        self._timer_due = 0.0
        self.actions = Actions(context, self, principal, admission, expires_at)
        self._me = str(admission.user_id)

    def end_session(self) -> None:
        """The sign-in session this connection was opened with has ended (sign-out, a
        revoked session, a password change): the connection closes at once."""
        self._session_ended = True
        self._tick()

    def move(self) -> None:
        """This node is draining: the client is sent to the room's new home (4421), its
        seat kept for it there."""
        self._moving = True
        self._tick()

    def send(self, event: Outgoing) -> bool:
        """Queue an event for the client; False when the client is too far behind."""
        try:
            self._outbox.put_nowait(event)
        except asyncio.QueueFull:
            self._overflowed = True
            return False
        return True

    async def run(self, resumed: bool) -> Outcome:
        """Serve until the connection ends; the caller handles what the outcome implies."""
        room_id = self.actions.room_id
        await self._fanout.join(room_id, self)
        tasks = [asyncio.create_task(self._read(), name=f"ws-read-{self.id}")]
        writer = asyncio.create_task(self._write(), name=f"ws-write-{self.id}")
        outcome = Outcome(close_codes.INTERNAL_ERROR, keep_seat=True)
        try:
            await self.actions.start(resumed)
            self._via_owner -= 1  # room_state is queued: events may go straight out
            self.joined = True
            if self._on_joined is not None:
                self._on_joined()
            outcome = await self._serve()
        finally:
            if self._timer is not None:
                self._timer.cancel()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if outcome.close_code is not None:
                self._refuse_unread()
            await self._fanout.leave(room_id, self)
            await self._close(writer, outcome.close_code)
        return outcome

    async def _serve(self) -> Outcome:
        config = self._context.config
        while True:
            now = self._context.clock()
            ended = self._ended_by_server(now)
            if ended is not None:
                return ended
            idle_deadline = self._last_frame + config.idle_timeout
            if now >= idle_deadline:
                return Outcome(close_codes.IDLE_TIMEOUT, keep_seat=True)
            self._wake_at(min(idle_deadline, self.actions.expires_at), now)
            item = await self._inbox.get()
            outcome = await self._handle(item)
            if outcome is not None:
                return outcome
            if self._overflowed:
                return Outcome(close_codes.SLOW_CONSUMER, keep_seat=True)
            if self._bus_lost:  # its notice found the inbox full
                return _TRY_AGAIN

    def _ended_by_server(self, now: float) -> Outcome | None:
        """This node moves the client, or its session or token has ended."""
        if self._moving:
            return Outcome(close_codes.MISDIRECTED, keep_seat=True)
        if self._session_ended:
            self.send(error_event("session_ended", "This session has ended; sign in again."))
            return Outcome(close_codes.UNAUTHORISED, keep_seat=True)
        if now >= self.actions.expires_at:
            self.send(error_event("token_expired", "The access token has expired."))
            return Outcome(close_codes.UNAUTHORISED, keep_seat=True)
        return None

    def _wake_at(self, deadline: float, now: float) -> None:
        """Keep one timer that wakes the owner by `deadline` to check the idle clock and
        the token (cheaper than a timeout on every wait). A timer due earlier stays: the
        owner then checks again and sets the next one."""
        if self._timer is not None and self._timer_due <= deadline:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer_due = deadline
        self._timer = asyncio.get_running_loop().call_later(deadline - now, self._tick)

    def _tick(self) -> None:
        self._timer = None
        with contextlib.suppress(asyncio.QueueFull):  # a full inbox wakes the owner anyway
            self._inbox.put_nowait(_Tick())

    async def _handle(self, item: _Inbound) -> Outcome | None:
        match item:
            case _Tick():
                return None
            case _Gone():
                return Outcome(None, keep_seat=True)
            case _Overflowed():
                return Outcome(close_codes.SLOW_CONSUMER, keep_seat=True)
            case _BusLost():
                return _TRY_AGAIN
            case _Published(message):
                self._via_owner -= 1
                return self.actions.on_published(message)
            case _Frame(raw):
                return await self._on_frame(raw)

    async def _on_frame(self, raw: str | bytes) -> Outcome | None:
        now = self._context.clock()
        self._last_frame = now
        if now - self._last_refresh >= self._context.presence_ttl / 4:
            self._last_refresh = now
            await self.actions.refresh_presence()
        if not self._bucket.take(now):
            self.send(
                error_event("rate_limited", "Too many messages; slow down.", request_id_of(raw))
            )
            return None
        try:
            message = parse_client_message(raw, self._context.config.max_message_bytes)
        except ProtocolError as error:
            self.send(error_event(error.code, error.message, error.message_id))
            return None
        try:
            return await self.actions.handle(message)
        except DomainError as error:
            self.send(error_event(error.code, error.message, message.id))
            return None

    async def _read(self) -> None:
        while True:
            try:
                message = await self._socket.receive()
            except Exception:  # the transport is gone without a close message
                message = {"type": "websocket.disconnect"}
            if message["type"] == "websocket.disconnect":
                await self._inbox.put(_Gone())
                return
            raw = message.get("text")
            await self._inbox.put(_Frame(raw if raw is not None else message.get("bytes") or b""))

    def deliver(self, message: Received) -> None:
        """A room event, from the node's fan-out task: never waits. Events that end the
        connection or change its state go through the owner; so does every event while
        one of those is waiting there (or before `room_state` was sent), which keeps the
        room's order. The rest go straight to the outbox. A connection too far behind to
        take an event is ended (4503) by its owner."""
        if message.to is not None and not self.actions.addressed_to_me(message.to):
            return
        if self._via_owner or message.type in _FOR_THE_OWNER or message.about == self._me:
            try:
                self._inbox.put_nowait(_Published(message))
            except asyncio.QueueFull:
                self._overflowed = True  # the owner sees it after the item it is on
                return
            self._via_owner += 1
        elif not self.send(message.frame):
            with contextlib.suppress(asyncio.QueueFull):
                self._inbox.put_nowait(_Overflowed())

    def _refuse_unread(self) -> None:
        """Requests read from the socket but not handled before the connection ended are
        answered `unavailable` (nothing was done), so a client sending on a socket that
        the server is closing hears about every request the server read."""
        while not self._inbox.empty():
            item = self._inbox.get_nowait()
            if isinstance(item, _Frame) and (request_id := request_id_of(item.raw)) is not None:
                self.send(error_event("unavailable", _CLOSING, request_id))

    def lost(self) -> None:
        """The node's subscription to the room was lost (the bus went away): events may
        be missing, so the client is closed with 1013 after what came before, to
        reconnect and reload (`room_state`, the chat transcript) once the bus is back."""
        try:
            self._inbox.put_nowait(_BusLost())
        except asyncio.QueueFull:
            self._bus_lost = True  # the owner sees it after the item it is on

    async def _write(self) -> None:
        try:
            while (item := await self._outbox.get()) is not None:
                if isinstance(item, PendingReply):
                    await asyncio.shield(item.outcome)  # the writer's, not ours, to cancel
                    item = item.event()
                text = item if isinstance(item, str) else encode_event(item)
                await self._socket.send_text(text)
        except Exception:  # the client is gone; the owner hears it from the reader too
            with contextlib.suppress(asyncio.QueueFull):
                self._inbox.put_nowait(_Gone())

    async def _close(self, writer: asyncio.Task[None], code: int | None) -> None:
        """Flush what is queued (briefly), then close with the outcome's code."""
        if code is not None and not writer.done() and self.send_final():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(writer), FLUSH_SECONDS)
        writer.cancel()
        await asyncio.gather(writer, return_exceptions=True)
        if code is not None and self._socket.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await self._socket.close(code)

    def send_final(self) -> bool:
        try:
            self._outbox.put_nowait(None)
        except asyncio.QueueFull:
            return False
        return True
