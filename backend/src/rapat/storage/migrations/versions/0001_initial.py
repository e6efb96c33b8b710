"""The ten tables of the seed schema, with the additions the features need.

Revision ID: 0001
Revises:
Create Date: 2026-05-09

Written by hand, and frozen: it never imports the models, so later model changes cannot
alter what this step creates. Every constraint is named explicitly (op.f) so SQLite and
PostgreSQL end up with identical names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def id_column() -> sa.Column[Any]:
    return sa.Column("id", sa.Uuid(), nullable=False)


def timestamp_column(name: str) -> sa.Column[Any]:
    return sa.Column(name, TIMESTAMP, server_default=sa.func.now(), nullable=False)


def foreign_key(
    table: str, column: str, target: str, ondelete: str = "CASCADE"
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def primary_key(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def check(table: str, name: str, condition: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(condition, name=op.f(f"ck_{table}_{name}"))


def unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def index(table: str, *columns: str, unique: bool = False) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns), unique=unique)


def upgrade() -> None:
    _create_users_and_rooms()
    _create_account_details()
    _create_meeting_records()
    _create_history_and_notifications()


def _create_users_and_rooms() -> None:
    """People and the rooms they host."""
    op.create_table(
        "users",
        id_column(),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("password", sa.String(255), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("avatar", sa.Text(), nullable=True),
        sa.Column("status", sa.String(50), server_default="active", nullable=False),
        sa.Column("email_verified", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_login", TIMESTAMP, nullable=True),
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        primary_key("users"),
        check("users", "status", "status IN ('active', 'inactive', 'banned')"),
    )
    index("users", "email", unique=True)

    op.create_table(
        "rooms",
        id_column(),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("host_id", sa.Uuid(), nullable=False),
        sa.Column("password", sa.String(255), nullable=True),
        sa.Column("max_users", sa.Integer(), server_default=sa.text("10"), nullable=False),
        sa.Column("status", sa.String(50), server_default="active", nullable=False),
        sa.Column("meeting_code", sa.String(12), nullable=False),
        sa.Column("persistent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("scheduled_at", TIMESTAMP, nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("ended_at", TIMESTAMP, nullable=True),
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        primary_key("rooms"),
        foreign_key("rooms", "host_id", "users"),
        unique("rooms", "meeting_code"),
        check("rooms", "max_users_positive", "max_users > 0"),
        check("rooms", "status", "status IN ('active', 'ended', 'cancelled')"),
        check("rooms", "duration_minutes_positive", "duration_minutes > 0"),
        check("rooms", "meeting_code_length", "length(meeting_code) = 12"),
    )
    index("rooms", "host_id", "status")
    index("rooms", "scheduled_at")


def _create_account_details() -> None:
    """Each person's contacts, sessions and settings."""
    op.create_table(
        "user_contacts",
        id_column(),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        timestamp_column("created_at"),
        primary_key("user_contacts"),
        foreign_key("user_contacts", "user_id", "users"),
        foreign_key("user_contacts", "contact_id", "users"),
        unique("user_contacts", "user_id", "contact_id"),
        check("user_contacts", "not_self", "user_id <> contact_id"),
    )
    index("user_contacts", "contact_id")

    op.create_table(
        "user_sessions",
        id_column(),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("revoked_at", TIMESTAMP, nullable=True),
        sa.Column("last_used_at", TIMESTAMP, nullable=True),
        sa.Column("ip_address", sa.Text(), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        timestamp_column("created_at"),
        primary_key("user_sessions"),
        foreign_key("user_sessions", "user_id", "users"),
        unique("user_sessions", "token"),
        check("user_sessions", "token_is_sha256_hex", "length(token) = 64"),
    )
    index("user_sessions", "user_id")
    index("user_sessions", "family_id")
    index("user_sessions", "expires_at")

    op.create_table(
        "user_settings",
        id_column(),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("setting_key", sa.String(100), nullable=False),
        sa.Column("setting_value", JSON_DOCUMENT, nullable=False),
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        primary_key("user_settings"),
        foreign_key("user_settings", "user_id", "users"),
        unique("user_settings", "user_id", "setting_key"),
    )


def _create_meeting_records() -> None:
    """Who is in which meeting and what they said."""
    op.create_table(
        "room_participants",
        id_column(),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        timestamp_column("joined_at"),
        sa.Column("left_at", TIMESTAMP, nullable=True),
        sa.Column("role", sa.String(50), server_default="participant", nullable=False),
        primary_key("room_participants"),
        foreign_key("room_participants", "room_id", "rooms"),
        foreign_key("room_participants", "user_id", "users"),
        unique("room_participants", "room_id", "user_id"),
        check(
            "room_participants",
            "role",
            "role IN ('host', 'moderator', 'participant', 'observer')",
        ),
    )
    index("room_participants", "user_id")

    op.create_table(
        "room_messages",
        id_column(),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        # Nullable: a deleted author becomes NULL so the transcript survives.
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("message_type", sa.String(20), server_default="text", nullable=False),
        timestamp_column("created_at"),
        primary_key("room_messages"),
        foreign_key("room_messages", "room_id", "rooms"),
        foreign_key("room_messages", "user_id", "users", ondelete="SET NULL"),
        check("room_messages", "message_type", "message_type IN ('text', 'system', 'file')"),
    )
    index("room_messages", "room_id", "created_at")
    index("room_messages", "user_id")


def _create_history_and_notifications() -> None:
    """Room settings, meeting history and notifications."""
    op.create_table(
        "room_settings",
        id_column(),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("setting_key", sa.String(100), nullable=False),
        sa.Column("setting_value", JSON_DOCUMENT, nullable=False),
        timestamp_column("created_at"),
        timestamp_column("updated_at"),
        primary_key("room_settings"),
        foreign_key("room_settings", "room_id", "rooms"),
        unique("room_settings", "room_id", "setting_key"),
    )

    op.create_table(
        "meeting_history",
        id_column(),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        timestamp_column("joined_at"),
        sa.Column("left_at", TIMESTAMP, nullable=True),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("recording_url", sa.Text(), nullable=True),
        primary_key("meeting_history"),
        foreign_key("meeting_history", "room_id", "rooms"),
        foreign_key("meeting_history", "user_id", "users"),
        check("meeting_history", "duration_not_negative", "duration >= 0"),
    )
    index("meeting_history", "user_id", "joined_at")
    index("meeting_history", "room_id", "joined_at")

    op.create_table(
        "notifications",
        id_column(),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(50), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("is_read", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("data", JSON_DOCUMENT, nullable=True),
        timestamp_column("created_at"),
        primary_key("notifications"),
        foreign_key("notifications", "user_id", "users"),
    )
    index("notifications", "user_id", "is_read", "created_at")


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes with it.
    for table in (
        "notifications",
        "meeting_history",
        "room_settings",
        "room_messages",
        "room_participants",
        "user_settings",
        "user_sessions",
        "user_contacts",
        "rooms",
        "users",
    ):
        op.drop_table(table)
