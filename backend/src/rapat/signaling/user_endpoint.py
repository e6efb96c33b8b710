"""`/ws/user?token=…`: the live channel each signed-in tab opens, not tied to a room.

The server pushes events published for the user (``notification``, ``notification_read``,
``presence``) and answers ``ping`` with ``pong``. Opening it marks the user online;
closing the last one marks them offline. Close codes come from ``close_codes``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Literal, get_args

from starlette.websockets import WebSocket, WebSocketDisconnect

from rapat.bus.errors import BusError
from rapat.bus.interfaces import Subscription
from rapat.domain.errors import DomainError, Unauthenticated
from rapat.observability.logging import get_logger
from rapat.services.auth import AuthService
from rapat.services.live_presence import LivePresence
from rapat.services.session_endings import SessionEndings, start_listening
from rapat.signaling import close_codes
from rapat.signaling.user_channel import UserChannel

MAX_CLIENT_MESSAGE = 1024
UserChannelErrorCode = Literal["bad_json", "unknown_type", "too_large", "binary_frame"]
"""The answers to a client frame that is not a ping (listed in docs/signaling.md)."""
USER_CHANNEL_ERROR_CODES: frozenset[str] = frozenset(get_args(UserChannelErrorCode))
_log = get_logger("rapat.user_channel")


class UserChannelServer:
    def __init__(
        self,
        auth: AuthService,
        channel: UserChannel,
        presence: LivePresence,
        *,
        idle_timeout: float,
        endings: SessionEndings | None = None,
    ) -> None:
        self._auth = auth
        self._endings = endings
        self._listener: asyncio.Task[None] | None = None
        # Each open channel's sign-in session, and the event that ends the channel.
        self._sessions: dict[str, tuple[uuid.UUID, asyncio.Event]] = {}
        self._channel = channel
        self._presence = presence
        self._idle_timeout = idle_timeout
        self._open: set[str] = set()
        # Presence updates of channels that just closed: finished even when the handler is
        # cancelled, and awaited at shutdown before the database goes away.
        self._closing: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Listen for ended sessions (`SessionEndings`), to close their channels."""
        if self._endings is not None and self._listener is None:
            self._listener = await start_listening(
                self._endings, self.end_sessions, "user-channel-session-endings"
            )

    def end_sessions(self, families: frozenset[uuid.UUID]) -> None:
        for session_id, ended in self._sessions.values():
            if session_id in families:
                ended.set()

    @property
    def open_channels(self) -> int:
        """Channels served by this node right now (a leak check counts them)."""
        return len(self._open)

    async def serve(self, socket: WebSocket, token: str | None) -> None:
        await socket.accept()
        try:
            if not token:
                raise Unauthenticated("A token is required.", code="not_authenticated")
            principal = await self._auth.authenticate(token)
        except DomainError as error:
            await socket.close(close_codes.close_code_for(error), error.message[:120])
            return
        user_id = principal.user_id
        channel_id = uuid.uuid4().hex
        subscription = await self._channel.subscribe(user_id)
        self._open.add(channel_id)
        ended = asyncio.Event()
        self._sessions[channel_id] = (principal.session_id, ended)
        try:
            await self._presence.opened(user_id, channel_id)
            await socket.send_text(_event("ready", {"user_id": str(user_id)}))
            code = await self._run(socket, subscription, user_id, channel_id)
        finally:
            self._open.discard(channel_id)
            self._sessions.pop(channel_id, None)
            # A task of its own: the handler may be cancelled, and every await in a
            # cancelled handler would fail before the bus and presence were cleaned up.
            closing = asyncio.create_task(self._closed(subscription, user_id, channel_id))
            self._closing.add(closing)
            closing.add_done_callback(self._closing.discard)
            await asyncio.shield(closing)
        if code is not None:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await socket.close(code)

    async def _closed(
        self, subscription: Subscription, user_id: uuid.UUID, channel_id: str
    ) -> None:
        try:
            await subscription.close()
            await self._presence.closed(user_id, channel_id)
        except Exception:  # the bus or database may be down; presence expires by itself
            _log.warning("presence_not_cleared", user_id=str(user_id))

    async def close(self) -> None:
        """Wait for the presence updates of channels that closed (at shutdown)."""
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None
        while self._closing:
            await asyncio.gather(*list(self._closing), return_exceptions=True)

    async def _run(
        self, socket: WebSocket, subscription: Subscription, user_id: uuid.UUID, channel_id: str
    ) -> int | None:
        """Until the client leaves (None) or the server closes (a close code)."""
        tasks = [
            asyncio.create_task(self._forward(socket, subscription)),
            asyncio.create_task(self._read(socket)),
            asyncio.create_task(
                _every(self._presence.ttl / 3, lambda: self._presence.refresh(user_id, channel_id))
            ),
            asyncio.create_task(self._until_ended(socket, self._sessions[channel_id][1])),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            first = done.pop()
            failure = first.exception()
            if failure is not None:
                _log.warning("user_channel_failed", error=repr(failure))
                # The bus lost the subscription (Redis went away): come back later.
                lost = isinstance(failure, BusError)
                return close_codes.TRY_AGAIN_LATER if lost else close_codes.INTERNAL_ERROR
            return first.result()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _until_ended(self, socket: WebSocket, ended: asyncio.Event) -> int | None:
        await ended.wait()
        message = "This session has ended; sign in again."
        await socket.send_text(_event("error", {"code": "session_ended", "message": message}))
        return close_codes.UNAUTHORISED

    async def _forward(self, socket: WebSocket, subscription: Subscription) -> int | None:
        async for message in subscription:
            await socket.send_text(message.decode())
        return close_codes.TRY_AGAIN_LATER  # the bus ended the subscription (shutdown)

    async def _read(self, socket: WebSocket) -> int | None:
        while True:
            try:
                frame = await asyncio.wait_for(socket.receive(), self._idle_timeout)
            except TimeoutError:
                return close_codes.IDLE_TIMEOUT
            except WebSocketDisconnect:
                return None
            if frame["type"] == "websocket.disconnect":
                return None
            raw = frame.get("text")
            if raw is None:  # a binary frame: the client's mistake, answered like any other
                await socket.send_text(_BINARY_REFUSED)
                continue
            await socket.send_text(_reply(raw))


def _reply(raw: str) -> str:
    """``ping`` → ``pong``; anything else → an ``error`` naming the problem."""
    if len(raw) > MAX_CLIENT_MESSAGE:
        return _error("too_large", "Messages are limited to 1 KiB.")
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError):
        return _error("bad_json", "Messages are JSON objects.")
    if not isinstance(message, dict) or message.get("type") != "ping":
        return _error("unknown_type", "This channel only accepts ping.")
    reply: dict[str, object] = {"type": "pong", "data": {}}
    if isinstance(message.get("id"), str):
        reply["id"] = message["id"]
    return json.dumps(reply)


def _event(event: str, data: dict[str, object]) -> str:
    return json.dumps({"type": event, "data": data})


def _error(code: UserChannelErrorCode, message: str) -> str:
    return _event("error", {"code": code, "message": message})


async def _every(seconds: float, action: Callable[[], Awaitable[None]]) -> int | None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await action()
        except Exception:  # a bus hiccup: try again next round; presence has slack
            _log.warning("presence_refresh_failed")


ServerLookup = Callable[[WebSocket], "UserChannelServer | None"]


def create_user_endpoint(find: ServerLookup) -> Callable[[WebSocket], Awaitable[None]]:
    async def user_channel(websocket: WebSocket) -> None:
        server = find(websocket)
        if server is None:
            await websocket.accept()
            await websocket.close(close_codes.TRY_AGAIN_LATER)
            return
        await server.serve(websocket, websocket.query_params.get("token"))

    return user_channel


_BINARY_REFUSED = _error("binary_frame", "This channel only accepts text frames.")
