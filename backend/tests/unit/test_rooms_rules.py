from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from rapat.api.schemas.rooms import decode_cursor, encode_cursor
from rapat.domain.errors import Conflict, InvalidInput
from rapat.domain.permissions import Action, Role, allowed, allowed_by_settings
from rapat.domain.rooms import check_transition, refusal_to_join
from rapat.services.calendar import Invitation, escape_text, fold, render_invitation
from rapat.services.room_settings import RoomSettings, merge_settings
from rapat.storage.models import normalize_meeting_code


@pytest.mark.parametrize(
    ("current", "target", "ok"),
    [
        ("active", "ended", True),
        ("active", "cancelled", True),
        ("active", "active", False),
        ("ended", "active", False),
        ("ended", "cancelled", False),
        ("cancelled", "active", False),
        ("cancelled", "ended", False),
    ],
)
def test_transitions(current: str, target: str, ok: bool) -> None:
    if ok:
        check_transition(current, target)
    else:
        with pytest.raises(Conflict) as raised:
            check_transition(current, target)
        assert raised.value.code == "invalid_transition"


def test_refusal_to_join() -> None:
    assert refusal_to_join("active") is None
    assert refusal_to_join("ended").code == "room_ended"  # type: ignore[union-attr]
    assert refusal_to_join("cancelled").code == "room_cancelled"  # type: ignore[union-attr]


def test_strangers_may_do_nothing_and_settings_narrow_participants() -> None:
    assert not any(allowed(None, action) for action in Action)
    assert allowed_by_settings(Role.PARTICIPANT, Action.CHAT, allow_chat=True, allow_screen=False)
    assert not allowed_by_settings(
        Role.PARTICIPANT, Action.CHAT, allow_chat=False, allow_screen=True
    )
    assert not allowed_by_settings(
        Role.PARTICIPANT, Action.SHARE_SCREEN, allow_chat=True, allow_screen=False
    )
    assert allowed_by_settings(
        Role.MODERATOR, Action.SHARE_SCREEN, allow_chat=False, allow_screen=False
    )
    assert not allowed_by_settings(
        Role.OBSERVER, Action.PUBLISH_MEDIA, allow_chat=True, allow_screen=True
    )


def test_room_settings_merge() -> None:
    assert merge_settings({}) == RoomSettings()
    stored = {"allow_chat": False, "retired_key": 1}
    assert merge_settings(stored).allow_chat is False
    changed = merge_settings(stored, {"max_video_resolution": "1080p"})
    assert (changed.allow_chat, changed.max_video_resolution) == (False, "1080p")
    with pytest.raises(ValidationError):
        merge_settings({}, {"allow_chat": "true"})
    with pytest.raises(ValidationError):
        merge_settings({}, {"nope": True})


def test_ics_text_escaping_and_folding() -> None:
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    long_line = "DESCRIPTION:" + "é" * 80
    folded = fold(long_line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == long_line


def test_render_invitation() -> None:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    text = render_invitation(
        Invitation(
            uid="x@rapat",
            title="Sync",
            description="Join: http://h/r/abc-defg-hij",
            url="http://h/r/abc-defg-hij",
            organizer_name='Ana "the host"',
            starts_at=start,
            duration=timedelta(minutes=90),
        ),
        now=start,
    )
    assert "DTEND:20261201T103000Z\r\n" in text
    assert "METHOD:REQUEST" in text
    assert "CN=\"Ana 'the host'\"" in text
    assert text.endswith("END:VCALENDAR\r\n")


def test_cursor_round_trip_and_garbage() -> None:
    cursor = (datetime(2026, 11, 24, 12, 0, tzinfo=UTC), uuid.uuid4())
    assert decode_cursor(encode_cursor(cursor)) == cursor
    assert encode_cursor(None) is None
    assert decode_cursor(None) is None
    with pytest.raises(InvalidInput):
        decode_cursor("%%%")
    with pytest.raises(InvalidInput):
        decode_cursor(encode_cursor(cursor)[:-4])  # type: ignore[index]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("abc-defg-hij", "abc-defg-hij"),
        ("ABC-DEFG-HIJ", "abc-defg-hij"),
        ("abcdefghij", "abc-defg-hij"),
        (" abc defg hij ", "abc-defg-hij"),
        ("abc-defg-hi", None),
        ("abc-defg-hi1", None),
        ("ábc-defg-hij", None),
        ("", None),
    ],
)
def test_normalize_meeting_code(typed: str, stored: str | None) -> None:
    assert normalize_meeting_code(typed) == stored


def test_recording_is_the_hosts_unless_the_room_lets_moderators_record() -> None:
    def may_record(role: Role, moderators_record: bool) -> bool:
        return allowed_by_settings(
            role,
            Action.RECORD,
            allow_chat=True,
            allow_screen=True,
            moderators_record=moderators_record,
        )

    assert may_record(Role.HOST, False)
    assert may_record(Role.HOST, True)
    assert not may_record(Role.MODERATOR, False)
    assert may_record(Role.MODERATOR, True)
    for role in (Role.PARTICIPANT, Role.OBSERVER):
        assert not may_record(role, True)
