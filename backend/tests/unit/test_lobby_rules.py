"""The waiting room's rules (decision 59): who waits, and what the lobby's store keeps and
forgets, on the in-process bus with a clock the test moves."""

from __future__ import annotations

import uuid

import pytest

from rapat.bus.memory_kv import MemoryKeyValue
from rapat.bus.memory_presence import MemoryPresence
from rapat.domain.lobby import (
    DENY_COOLDOWN,
    EVERYONE_BUT_HOSTS,
    GRANT_TTL,
    GUESTS,
    WAIT_TTL,
    LobbyScope,
    must_wait,
)
from rapat.domain.permissions import PERMISSIONS, Action, Role, allowed
from rapat.services.lobby_store import LobbyStore, WaitingEntry


@pytest.mark.parametrize(
    ("scope", "member_role", "in_meeting", "is_host", "waits"),
    [
        (GUESTS, None, False, False, True),  # a stranger
        (GUESTS, Role.PARTICIPANT, False, False, False),  # let in once: a member
        (GUESTS, Role.OBSERVER, False, False, False),
        (GUESTS, None, False, True, False),  # the host, even before their first join
        (EVERYONE_BUT_HOSTS, None, False, False, True),
        (EVERYONE_BUT_HOSTS, Role.PARTICIPANT, False, False, True),
        (EVERYONE_BUT_HOSTS, Role.OBSERVER, False, False, True),
        (EVERYONE_BUT_HOSTS, Role.MODERATOR, False, False, False),
        (EVERYONE_BUT_HOSTS, Role.HOST, False, True, False),
        (EVERYONE_BUT_HOSTS, Role.PARTICIPANT, True, False, False),  # a reload: seated
    ],
)
def test_who_waits(
    scope: LobbyScope, member_role: Role | None, in_meeting: bool, is_host: bool, waits: bool
) -> None:
    for enabled in (True, False):
        found = must_wait(
            lobby_enabled=enabled,
            scope=scope,
            member_role=member_role,
            in_meeting=in_meeting,
            is_host=is_host,
        )
        assert found is (waits and enabled)


def test_only_hosts_and_moderators_admit() -> None:
    assert PERMISSIONS[Action.ADMIT] == frozenset({Role.HOST, Role.MODERATOR})
    assert not allowed(Role.PARTICIPANT, Action.ADMIT)
    assert not allowed(Role.OBSERVER, Action.ADMIT)
    assert not allowed(None, Action.ADMIT)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _store() -> tuple[LobbyStore, Clock]:
    clock = Clock()
    return LobbyStore(MemoryKeyValue(clock), MemoryPresence(clock)), clock


def _entry(name: str, since: str) -> WaitingEntry:
    return WaitingEntry(str(uuid.uuid4()), name, since)


async def test_a_waiting_place_lasts_while_kept_and_lapses_after() -> None:
    store, clock = _store()
    room = uuid.uuid4()
    budi, citra = _entry("Budi", "2026-01-01T10:00:02"), _entry("Citra", "2026-01-01T10:00:01")
    await store.wait(room, budi)
    await store.wait(room, citra)
    assert [e.name for e in await store.waiting(room)] == ["Citra", "Budi"]  # longest first

    clock.now += WAIT_TTL * 0.9
    assert await store.keep(room, uuid.UUID(budi.user_id))
    clock.now += WAIT_TTL * 0.2  # Citra's place lapsed; Budi kept his
    assert [e.name for e in await store.waiting(room)] == ["Budi"]
    assert not await store.keep(room, uuid.UUID(citra.user_id))
    assert await store.entry(room, uuid.UUID(citra.user_id)) is None


async def test_an_admission_waits_for_the_next_join_then_is_spent() -> None:
    store, clock = _store()
    room, user = uuid.uuid4(), uuid.uuid4()
    await store.wait(room, WaitingEntry(str(user), "Budi", "t"))
    assert await store.leave(room, user)
    assert not await store.leave(room, user)  # twice: nothing left to take out
    await store.grant(room, user)
    clock.now += GRANT_TTL * 0.9
    assert await store.granted(room, user)
    await store.spend_grant(room, user)
    assert not await store.granted(room, user)
    await store.grant(room, user)
    clock.now += GRANT_TTL + 1
    assert not await store.granted(room, user)


async def test_a_denial_holds_for_its_cool_down_and_cancels_an_admission() -> None:
    store, clock = _store()
    room, user = uuid.uuid4(), uuid.uuid4()
    await store.grant(room, user)
    await store.deny(room, user)
    assert not await store.granted(room, user)
    left = await store.denied_for(room, user)
    assert left is not None
    assert 0 < left <= DENY_COOLDOWN
    clock.now += DENY_COOLDOWN + 1
    assert await store.denied_for(room, user) is None
    # Let in after all: the denial is forgotten.
    await store.deny(room, user)
    await store.grant(room, user)
    assert await store.denied_for(room, user) is None
