"""The signaling hub: admits connections, runs them, and keeps each dropped participant's
seat for the grace period. Counters make leaks visible (and testable)."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.websockets import WebSocket

from rapat.bus.errors import BusError
from rapat.cluster.agent import Membership, NodeAgent
from rapat.cluster.load_meter import LoadMeter
from rapat.conference.meeting import Admission
from rapat.conference.registry import Conference
from rapat.conference.relays import RoomRelays
from rapat.domain.errors import DomainError, Unauthenticated
from rapat.domain.identity import Principal
from rapat.domain.permissions import Role
from rapat.domain.presence import IN_MEETING
from rapat.observability.logging import get_logger
from rapat.services import room_event_sink as events
from rapat.services.session_endings import SessionEndings, start_listening
from rapat.signaling import close_codes
from rapat.signaling.actions import Outcome
from rapat.signaling.connection import Connection
from rapat.signaling.context import Context
from rapat.signaling.envelope import LEADERS, BusMessage
from rapat.signaling.fanout import RoomFanout
from rapat.signaling.join_stats import JoinStats
from rapat.signaling.messages import event
from rapat.signaling.nodes import NodeLease

_log = get_logger("rapat.signaling")

_Seat = tuple[uuid.UUID, uuid.UUID]  # room id, user id


class HasId(Protocol):
    """What the hub reads of a room an event is about."""

    @property
    def id(self) -> uuid.UUID: ...


@dataclass(frozen=True, slots=True)
class HubStats:
    connections: int
    grace_timers: int
    tasks: int


@dataclass(frozen=True, slots=True)
class ConnectRequest:
    """The query of `/ws?roomId=…&userId=…&token=…`."""

    room: str | None
    user: str | None
    token: str | None


class SignalingHub:
    def __init__(
        self,
        context: Context,
        endings: SessionEndings | None = None,
        *,
        membership: Membership | None = None,
    ) -> None:
        self._context = context
        self._endings = endings
        self._listener: asyncio.Task[None] | None = None
        self._connections: set[Connection] = set()
        self._grace: dict[_Seat, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._fanout = RoomFanout(context.pubsub)
        self.node = NodeLease(
            context.live.kv,
            context.presence,
            context.config,
            self._held,
            self._abandon,
            clock=context.clock,
        )
        self._lease: asyncio.Task[None] | None = None
        self.joins = JoinStats()
        # Several nodes with placement (decision 61): this node publishes its record and
        # serves only the rooms whose home it is. None: every room that reaches it.
        self.cluster = self._agent(membership) if membership is not None else None
        self._cluster_task: asyncio.Task[None] | None = None
        # A room served by several nodes (its home was full) has its media relayed between
        # them (decision 70).
        self.relays = (
            RoomRelays(
                self.node.node_id,
                context.media,
                context.pubsub,
                context.presence,
                membership.directory.ttl,
            )
            if membership is not None and context.media is not None
            else None
        )
        self._relay_task: asyncio.Task[None] | None = None

    def _agent(self, membership: Membership) -> NodeAgent:
        media = self._context.media
        meter = LoadMeter(
            participants=lambda: len(self._connections),
            rooms=lambda: media.rooms if media is not None else 0,
            packets_sent=lambda: media.snapshot().forwarding.packets_out if media else 0,
        )
        return NodeAgent(
            self.node.node_id,
            membership,
            meter,
            rooms_served=lambda: {room for room, _ in self._held()},
        )

    async def start(self) -> None:
        """Start taking and renewing this node's lease and sweeping dead nodes, and
        listening for ended sessions (in the background: a bus that is down is logged and
        retried, it does not stop startup)."""
        self._lease = asyncio.create_task(self.node.run(), name="signaling-node-lease")
        if self.cluster is not None:
            # Listed before the first client comes: a claim by an unlisted node is void.
            await self.cluster.publish_first()
            self._cluster_task = asyncio.create_task(self.cluster.run(), name="cluster-agent")
        if self.relays is not None:
            self._relay_task = asyncio.create_task(self.relays.run(), name="room-relays")
        if self._endings is not None:
            self._listener = await start_listening(
                self._endings, self.end_sessions, "signaling-session-endings"
            )

    def end_sessions(self, families: frozenset[uuid.UUID]) -> None:
        """Close this node's connections opened by sign-in sessions that have ended."""
        for connection in list(self._connections):
            if connection.actions.principal.session_id in families:
                connection.end_session()

    @property
    def media(self) -> Conference | None:
        return self._context.media

    def stats(self) -> HubStats:
        return HubStats(
            connections=len(self._connections),
            grace_timers=len(self._grace),
            tasks=len(self._tasks),
        )

    async def serve(self, socket: WebSocket, request: ConnectRequest) -> None:
        """Run one connection from accept to close."""
        await socket.accept()
        accepted = time.perf_counter()
        try:
            principal, admission, expires_at = await self._admit(request)
        except DomainError as error:
            code = close_codes.close_code_for(error)
            self.joins.ended_unjoined(code)
            await socket.close(code, error.message[:120])
            return
        except Exception:
            self.joins.failed()
            raise
        if not await self._served_here(socket, admission.room_id, principal.user_id):
            return
        seat = (admission.room_id, admission.user_id)
        connection = Connection(
            self._context,
            socket,
            principal,
            admission,
            expires_at,
            fanout=self._fanout,
            on_joined=lambda: self.joins.joined(time.perf_counter() - accepted),
        )
        # Served from here on: a lease renewal while the seat is being listed keeps it.
        self._connections.add(connection)
        try:
            await self.node.hold(seat)
        except BusError:  # the bus is down: the client retries later
            self._connections.discard(connection)
            self.joins.failed()
            _log.exception("signaling_bus_failed", room_id=str(seat[0]))
            await socket.close(close_codes.TRY_AGAIN_LATER)
            return
        except BaseException:  # cancelled: this connection never runs
            self._connections.discard(connection)
            raise
        resumed = self._cancel_grace(seat)
        # Its own task: the connection finishes and cleans up even when the server
        # cancels this handler (shutdown, a test client leaving abruptly).
        task = asyncio.create_task(self._run(connection, seat, resumed), name="ws-connection")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        await asyncio.shield(task)

    async def _served_here(self, socket: WebSocket, room_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        """Whether this node serves the room (its home, or taken now for it); otherwise
        the client is told to ask the API where the room lives (close code 4421)."""
        if self.cluster is None:
            return True
        placement = self.cluster.placement
        try:
            if self.cluster.draining:  # the room goes to another node if there is one
                home, guest = await placement.place(room_id), False
            else:
                home = await placement.claim(room_id, self.cluster.record)
                # the home is full and placement sent this participant here
                guest = await placement.is_guest(room_id, self.cluster.node_id)
            served = home is None or home.node_id == self.cluster.node_id or guest
            if served:  # asked again (a reconnect), the API sends them back here
                await placement.seat(room_id, str(user_id), self.cluster.node_id)
        except BusError:
            self.joins.failed()
            _log.exception("signaling_bus_failed", room_id=str(room_id))
            await socket.close(close_codes.TRY_AGAIN_LATER)
            return False
        if served or home is None:
            return True
        # not counted as a join's outcome: the client joins on the right node next
        _log.info("signaling_misdirected", room_id=str(room_id), home=home.node_id)
        await socket.close(close_codes.MISDIRECTED, "The room is served by another node.")
        return False

    async def drain(self) -> int:
        """Before a planned stop: take no new rooms, free this node's rooms for placement
        elsewhere, and send every client there (4421: they ask the API and reconnect, their
        seats and live state kept). Returns once their sockets are closed (the caller bounds
        the wait); how many were moved. A node outside placement, or the last one taking
        rooms, has nowhere to send anyone: its clients reconnect to it when it is back."""
        if self.cluster is None or not await self.cluster.others_take_rooms():
            return 0
        moving, running = list(self._connections), set(self._tasks)
        await self.cluster.drain()
        for connection in moving:
            connection.move()
        if running:
            await asyncio.wait(running)
        _log.info("signaling_drained", node_id=self.cluster.node_id, moved=len(moving))
        return len(moving)

    async def _run(self, connection: Connection, seat: _Seat, resumed: bool) -> None:
        # The seat stays among those served until its grace period (or its end) takes
        # over, with nothing awaited in between: a lease renewal never sees it unserved.
        try:
            if not resumed:
                resumed = await self._context.live.get(*seat) is not None
            _log.info(
                "signaling_connected", room_id=str(seat[0]), user_id=str(seat[1]), resumed=resumed
            )
            try:
                outcome = await connection.run(resumed)
            except BusError as error:  # Redis is down: the client retries later (1013)
                _log.warning(
                    "signaling_bus_failed",
                    room_id=str(seat[0]),
                    user_id=str(seat[1]),
                    error=str(error),
                )
                outcome = Outcome(close_codes.TRY_AGAIN_LATER, keep_seat=True)
            except Exception:
                _log.exception("signaling_failed", room_id=str(seat[0]), user_id=str(seat[1]))
                outcome = Outcome(close_codes.INTERNAL_ERROR, keep_seat=True)
            finally:
                await connection.actions.stop_media()
        finally:
            self._connections.discard(connection)
        if not connection.joined:
            self.joins.ended_unjoined(outcome.close_code)
        _log.info(
            "signaling_closed",
            room_id=str(seat[0]),
            user_id=str(seat[1]),
            code=outcome.close_code,
            keep_seat=outcome.keep_seat,
        )
        principal = connection.actions.principal  # a refreshed token's principal
        await self._after(seat, principal, connection.id, outcome)

    async def room_event(
        self, event_name: str, room: HasId, data: dict[str, Any], actor: uuid.UUID | None
    ) -> None:
        """A room event the services emitted after their commit (`RoomEventFanout`),
        whether it came from the REST API or from signaling: the live room is told, on
        every node, through the room's channel."""
        match event_name:
            case events.ROOM_ENDED | events.ROOM_CANCELLED:
                await self._room_ended(room.id, actor)
            case events.PARTICIPANT_LEFT:
                user_id = uuid.UUID(data["user_id"])
                await self._participant_left((room.id, user_id), data.get("reason", "left"))
            case events.PARTICIPANT_ROLE_CHANGED:
                user_id = uuid.UUID(data["user_id"])
                await self._role_changed(room.id, user_id, Role(data["role"]), actor)
            case events.ROOM_SETTINGS_CHANGED:
                payload = {"settings": data["settings"], "by": str(actor) if actor else None}
                await self._context.publish(room.id, BusMessage(event("room_settings", payload)))
            case events.LOBBY_CHANGED:  # only hosts and moderators hear who waits
                lobby = event("lobby_waiting", {"waiting": data["waiting"]})
                await self._context.publish(room.id, BusMessage(lobby, to=LEADERS))

    async def _room_ended(self, room_id: uuid.UUID, by: uuid.UUID | None) -> None:
        """Every open connection in the room, on any node, is told and closed."""
        await self._context.live.set_recording(room_id, False)
        await self._context.live.set_spotlight(room_id, None)
        payload = {"by": str(by) if by is not None else None}
        await self._context.publish(room_id, BusMessage(event("room_ended", payload)))

    async def _participant_left(self, seat: _Seat, reason: str) -> None:
        """The room is told, and the person's own sockets (on any node) close with 1000
        when they hear it. A grace period waiting for them ends, unless it is the one
        that is ending them now."""
        timer = self._grace.get(seat)
        if timer is not None and timer is not asyncio.current_task():
            self._cancel_grace(seat)
        await self._forget(seat)
        payload = {"user_id": str(seat[1]), "reason": reason}
        await self._context.publish(seat[0], BusMessage(event("participant_left", payload)))

    async def _role_changed(
        self, room_id: uuid.UUID, user_id: uuid.UUID, role: Role, by: uuid.UUID | None
    ) -> None:
        """A connected person's live state takes the new role and the room is told;
        their own connection applies the new rights when it hears it. Someone not
        connected gets the role from the database when they connect."""
        live = self._context.live
        state = await live.get(room_id, user_id)
        if state is None:
            return
        state = state.with_role(role)
        await live.put(room_id, state)
        payload = {"participant": state.to_json(), "by": str(by) if by is not None else None}
        await self._context.publish(room_id, BusMessage(event("participant_updated", payload)))

    async def close(self) -> None:
        """At shutdown: connections end and pending grace timers are dropped (the shared
        keys expire by themselves)."""
        timers = [*self._grace.values(), *self._tasks]
        if self._lease is not None:  # renewals stop; the lease lapses by itself
            timers.append(self._lease)
        if self._listener is not None:
            timers.append(self._listener)
        if self._cluster_task is not None:
            timers.append(self._cluster_task)
        if self._relay_task is not None:  # (says farewell to the nodes it relays with)
            timers.append(self._relay_task)
        for timer in timers:
            timer.cancel()
        await asyncio.gather(*timers, return_exceptions=True)
        if self.cluster is not None:  # new rooms go elsewhere at once
            await self.cluster.withdraw()
        await self._context.chat.close()  # lines already accepted are stored and sent
        if self._context.media is not None:
            await self._context.media.close()

    async def _admit(self, request: ConnectRequest) -> tuple[Principal, Admission, float]:
        if not request.token or not request.user:
            raise Unauthenticated("A token and a user id are required.", code="not_authenticated")
        try:
            user_id = uuid.UUID(request.user)
        except ValueError:
            raise Unauthenticated("The user id is not valid.", code="user_mismatch") from None
        principal, expires_at = await self._context.authenticate(request.token, user_id)
        admission = await self._context.meetings.admit(principal, request.room or "")
        return principal, admission, expires_at

    async def _after(
        self, seat: _Seat, principal: Principal, connection_id: str, outcome: Outcome
    ) -> None:
        try:
            if outcome.left:
                await self._depart(seat, principal, "left")
            elif outcome.keep_seat:
                self._start_grace(seat, principal, connection_id)
            elif outcome.close_code in {close_codes.FORBIDDEN, close_codes.ROOM_ENDED}:
                await self._forget(seat)
        except Exception:
            _log.exception("signaling_cleanup_failed", room_id=str(seat[0]))

    def _start_grace(self, seat: _Seat, principal: Principal, connection_id: str) -> None:
        self._cancel_grace(seat)
        timer = asyncio.create_task(
            self._expire(seat, principal, connection_id), name=f"ws-grace-{seat[1]}"
        )
        self._grace[seat] = timer
        timer.add_done_callback(lambda done: self._grace_done(seat, done))

    def _grace_done(self, seat: _Seat, timer: asyncio.Task[None]) -> None:
        if self._grace.get(seat) is timer:
            del self._grace[seat]

    def _cancel_grace(self, seat: _Seat) -> bool:
        timer = self._grace.pop(seat, None)
        if timer is None:
            return False
        timer.cancel()
        return True

    async def _expire(self, seat: _Seat, principal: Principal, connection_id: str) -> None:
        await asyncio.sleep(self._context.config.grace_period)
        try:
            owner = await self._context.live.owner(*seat)
            if owner is not None and owner != connection_id:
                return  # they came back through another node
            await self._depart(seat, principal, "disconnected")
        except Exception:
            _log.exception("signaling_grace_failed", room_id=str(seat[0]))

    async def _depart(self, seat: _Seat, principal: Principal, reason: str) -> None:
        """The participant is gone for good: the room service records it and emits
        `participant.left`, which tells the room (`room_event`)."""
        room_id, _user_id = seat
        try:
            await self._context.rooms.leave(principal, str(room_id), reason=reason)
        except DomainError:  # already left (and announced), removed, or the room ended
            await self._forget(seat)

    def _held(self) -> set[_Seat]:
        """The seats this node serves: open connections and running grace periods."""
        seats = {(c.actions.room_id, c.actions.user_id) for c in self._connections}
        return seats | set(self._grace)

    async def _abandon(self, seat: _Seat) -> None:
        """A dead node's participant who did not come back: close their participation
        and tell the room, as when a grace period runs out."""
        closed = await self._context.meetings.close_participation(*seat)
        await self._forget(seat)
        if closed:  # otherwise they had left, or the room ended, already
            payload = {"user_id": str(seat[1]), "reason": "disconnected"}
            await self._context.publish(seat[0], BusMessage(event("participant_left", payload)))

    async def _forget(self, seat: _Seat) -> None:
        await self._context.live.remove(*seat)
        await self._context.presence.remove(IN_MEETING, str(seat[1]))
