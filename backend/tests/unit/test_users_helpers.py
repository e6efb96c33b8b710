"""Pure helpers of the users API: LIKE escaping, presence, avatar versions, preferences."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from rapat.bus.memory_presence import MemoryPresence
from rapat.domain.presence import IN_MEETING, ONLINE, presence_of
from rapat.services.avatars import MAX_VERSION, avatar_url, next_version
from rapat.services.presence import ONLINE_TTL_SECONDS, mark_online, presence_states
from rapat.services.user_settings import UserPreferences, preferences_from_rows
from rapat.storage.repositories.search import DISCOVERABLE_KEY, escape_like, prefix_pattern


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("ana", "ana"),
        ("100%", "100\\%"),
        ("a_b", "a\\_b"),
        ("c\\d", "c\\\\d"),
        ("\\%_", "\\\\\\%\\_"),
        ("%%", "\\%\\%"),
    ],
)
def test_escape_like(text: str, escaped: str) -> None:
    assert escape_like(text) == escaped


def test_prefix_pattern_lowers_and_escapes_before_the_wildcard() -> None:
    assert prefix_pattern("An_Na%") == "an\\_na\\%%"


def test_search_reads_the_discoverable_preference_which_is_off_by_default() -> None:
    # The repository names the key itself (storage may not import services): keep them one.
    field = UserPreferences.model_fields[DISCOVERABLE_KEY]
    assert field.annotation is bool
    assert UserPreferences().discoverable is False


@pytest.mark.parametrize(
    ("online", "in_meeting", "state"),
    [
        (set(), set(), "offline"),
        ({"u"}, set(), "online"),
        ({"u"}, {"u"}, "in_meeting"),
        (set(), {"u"}, "in_meeting"),
        ({"v"}, {"w"}, "offline"),
    ],
)
def test_presence_of(online: set[str], in_meeting: set[str], state: str) -> None:
    assert presence_of("u", online, in_meeting) == state


async def test_presence_states_follow_the_groups_and_expire() -> None:
    now = [0.0]
    presence = MemoryPresence(clock=lambda: now[0])
    ana, bo, cy = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await mark_online(presence, ana)
    await mark_online(presence, bo)
    await presence.touch(IN_MEETING, str(bo), 30)
    assert await presence.members(ONLINE) == {str(ana), str(bo)}
    assert await presence_states(presence, [ana, bo, cy]) == {
        ana: "online",
        bo: "in_meeting",
        cy: "offline",
    }
    now[0] = ONLINE_TTL_SECONDS + 1
    assert set((await presence_states(presence, [ana, bo])).values()) == {"offline"}
    assert await presence_states(presence, []) == {}


def test_avatar_versions_move_on_and_never_restart_at_a_fixed_number() -> None:
    assert next_version(3) == 4
    assert next_version(MAX_VERSION) == 1
    firsts = {next_version(None) for _ in range(20)}
    assert len(firsts) > 15
    assert all(1 <= version <= MAX_VERSION for version in firsts)
    user_id = uuid.UUID(int=7)
    assert avatar_url(user_id, 3) == f"/api/v1/users/{user_id}/avatar?v=3"


def test_preferences_are_strict_and_closed() -> None:
    assert UserPreferences().theme == "system"
    for bad in (
        {"camera_on_join": "true"},
        {"camera_on_join": 1},
        {"theme": "sepia"},
        {"theme": None},
        {"volume": 3},
    ):
        with pytest.raises(ValidationError):
            UserPreferences.model_validate(bad)
    given = UserPreferences.model_validate({"theme": "dark"})
    assert given.model_fields_set == {"theme"}


def test_stored_preferences_fall_back_to_defaults_key_by_key() -> None:
    stored = {"theme": "dark", "mic_on_join": "yes", "retired": True, "notify_in_app": False}
    preferences = preferences_from_rows(stored)
    assert preferences == UserPreferences(theme="dark", notify_in_app=False)
