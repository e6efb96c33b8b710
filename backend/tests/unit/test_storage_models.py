"""Rules every table follows, and the pure helpers beside the models."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, DateTime, ForeignKeyConstraint, Table, Uuid, inspect

from rapat.storage.models import (
    MEETING_CODE_LENGTH,
    Base,
    Notification,
    Room,
    User,
    generate_meeting_code,
    is_meeting_code,
    normalize_email,
)
from rapat.storage.models.base import one_of
from rapat.storage.types import UTCDateTime

TABLES = list(Base.metadata.sorted_tables)
POSTGRES_NAME_LIMIT = 63


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Ayu@Example.COM", "ayu@example.com"),
        ("  budi@example.com\n", "budi@example.com"),
        ("already@lower.case", "already@lower.case"),
    ],
)
def test_normalize_email(given: str, stored: str) -> None:
    assert normalize_email(given) == stored


def test_meeting_codes_look_like_abc_defg_hij() -> None:
    codes = {generate_meeting_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert is_meeting_code(code), code
        assert len(code) == MEETING_CODE_LENGTH == 12
        assert [len(part) for part in code.split("-")] == [3, 4, 3]


@pytest.mark.parametrize(
    "text", ["", "abc-defg-hi", "ABC-DEFG-HIJ", "abc-defg-hij ", "abcdefghij", "ab1-defg-hij"]
)
def test_is_meeting_code_rejects(text: str) -> None:
    assert not is_meeting_code(text)


def test_one_of_quotes_values() -> None:
    assert one_of("status", ["active", "it's"]) == "status IN ('active', 'it''s')"


def test_new_objects_are_complete_before_flush() -> None:
    user = User(email=" New@Example.com ", first_name="Ayu")
    assert isinstance(user.id, uuid.UUID)
    assert (user.email, user.status, user.email_verified) == ("new@example.com", "active", False)
    assert user.created_at.tzinfo is not None

    room = Room(name="Retro", host=user)
    assert is_meeting_code(room.meeting_code)
    assert (room.max_users, room.persistent, room.status) == (10, False, "active")


def test_explicit_values_win_over_defaults() -> None:
    given = uuid.uuid4()
    room = Room(id=given, name="Board", max_users=50, meeting_code="abc-defg-hij")
    assert (room.id, room.max_users, room.meeting_code) == (given, 50, "abc-defg-hij")
    assert Notification(is_read=True).is_read is True


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)
def test_every_table_has_a_uuid_primary_key(table: Table) -> None:
    assert [column.name for column in table.primary_key] == ["id"]
    assert isinstance(table.c.id.type, Uuid)
    assert table.c.id.default is not None


@pytest.mark.parametrize(
    "column",
    [c for t in TABLES for c in t.columns if isinstance(c.type, DateTime | UTCDateTime)],
    ids=str,
)
def test_every_timestamp_is_utc_aware(column: Column[object]) -> None:
    assert isinstance(column.type, UTCDateTime), f"{column} must use UTCDateTime"


def test_every_foreign_key_says_what_a_delete_does() -> None:
    rules = {
        f"{table.name}.{constraint.column_keys[0]}": constraint.ondelete
        for table in TABLES
        for constraint in table.constraints
        if isinstance(constraint, ForeignKeyConstraint)
    }
    # A deleted account's chat lines stay, and so do the bans it made and the recordings
    # it started.
    kept = {"room_messages.user_id", "room_bans.banned_by", "recordings.started_by"}
    assert {rules[key] for key in kept} == {"SET NULL"}
    assert {rule for key, rule in rules.items() if key not in kept} == {"CASCADE"}


def test_every_constraint_and_index_is_named_within_postgres_limits() -> None:
    names = [c.name for t in TABLES for c in t.constraints] + [
        i.name for t in TABLES for i in t.indexes
    ]
    assert all(isinstance(name, str) and name for name in names)
    assert max(len(str(name)) for name in names) <= POSTGRES_NAME_LIMIT
    assert len(names) == len(set(names))


def test_relationships_never_load_implicitly() -> None:
    for mapper in Base.registry.mappers:
        for relationship in inspect(mapper).relationships:
            assert relationship.lazy == "raise", relationship
            assert relationship.direction.name == "MANYTOONE", relationship
