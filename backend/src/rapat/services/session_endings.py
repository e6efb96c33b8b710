"""Ended sign-in sessions (sign-out, a revoked session, a password change or reset) are
announced on the bus, so that every node closes the WebSockets those sessions opened at
once, rather than when their access tokens expire (up to 24 h later)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Callable, Sequence

from rapat.bus.errors import BusError
from rapat.bus.interfaces import PubSub
from rapat.observability.logging import get_logger

SESSIONS_ENDED = "sessions:ended"
# After the bus fails, the listener subscribes again this long later.
RETRY_SECONDS = 1.0
# How long start-up waits for the listener's subscription before going on without it.
STARTUP_WAIT = 2.0

_log = get_logger("rapat.sessions")

OnEnded = Callable[[frozenset[uuid.UUID]], None]


class SessionEndings:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub

    async def announce(self, families: Sequence[uuid.UUID]) -> None:
        """Tell every node; a bus that is down is logged (the sessions have ended in the
        database already, and their sockets still end when their tokens do)."""
        if not families:
            return
        payload = json.dumps(sorted(str(family) for family in families)).encode()
        try:
            await self._pubsub.publish(SESSIONS_ENDED, payload)
        except Exception:
            _log.exception("session_end_not_announced", sessions=len(families))

    async def listen(self, on_ended: OnEnded, subscribed: asyncio.Event | None = None) -> None:
        """Until cancelled, hand each announcement's sessions to `on_ended`; subscribes
        again after the bus fails. `subscribed` is set once the first subscription is up."""
        while True:
            try:
                subscription = await self._pubsub.subscribe(SESSIONS_ENDED)
                if subscribed is not None:
                    subscribed.set()
                try:
                    async for message in subscription:
                        ended = decode(message)
                        if ended:
                            on_ended(ended)
                finally:
                    await subscription.close()
            except asyncio.CancelledError:
                raise
            except BusError as error:  # Redis went away (or is not back yet): expected
                _log.warning("session_end_listener_lost", error=str(error))
            except Exception:
                _log.exception("session_end_listener_failed")
            await asyncio.sleep(RETRY_SECONDS)


async def start_listening(
    endings: SessionEndings, on_ended: OnEnded, name: str
) -> asyncio.Task[None]:
    """A listener task, returned once it is subscribed, or after `STARTUP_WAIT` seconds
    when the bus is down (start-up goes on; the listener keeps trying). Waiting keeps
    readiness right: a node reports ready only with its bus connections up."""
    subscribed = asyncio.Event()
    task = asyncio.create_task(endings.listen(on_ended, subscribed), name=name)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(subscribed.wait(), STARTUP_WAIT)
    return task


def decode(message: bytes) -> frozenset[uuid.UUID]:
    """The sessions of one announcement; nothing for a message that is not one."""
    try:
        values = json.loads(message)
        return frozenset(uuid.UUID(value) for value in values)
    except (ValueError, TypeError):
        _log.warning("session_end_unreadable")
        return frozenset()
