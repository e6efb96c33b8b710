"""Recordings: one row per recording of a room, from capture to the composed file.

On PostgreSQL the rows get the same row-level security as a room's chat: visible to the
system and to members of the room (0005's `rapat_member_rooms`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POLICY = "room_members_only"
RULE = "current_setting('rapat.scope', true) = 'system' OR room_id IN (SELECT rapat_member_rooms())"
STATUSES = "status IN ('recording', 'queued', 'composing', 'ready', 'failed')"


def _timestamp(name: str, *, nullable: bool = False, now: bool = False) -> sa.Column[object]:
    default = sa.func.now() if now else None
    return sa.Column(name, sa.DateTime(timezone=True), server_default=default, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "recordings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("started_by", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        _timestamp("started_at"),
        _timestamp("stopped_at", nullable=True),
        sa.Column("stop_reason", sa.String(32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("compose_attempts", sa.Integer(), nullable=False),
        sa.Column("container", sa.String(8), nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("storage_key", sa.String(512), nullable=True),
        sa.Column("raw_directory", sa.Text(), nullable=True),
        sa.Column(
            "participants",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        _timestamp("created_at", now=True),
        _timestamp("updated_at", now=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recordings")),
        sa.CheckConstraint(STATUSES, name=op.f("ck_recordings_status_known")),
        sa.CheckConstraint(
            "container IN ('mp4', 'webm')", name=op.f("ck_recordings_container_known")
        ),
        sa.CheckConstraint(
            "progress BETWEEN 0 AND 100", name=op.f("ck_recordings_progress_percent")
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_recordings_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["started_by"],
            ["users.id"],
            name=op.f("fk_recordings_started_by_users"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        op.f("ix_recordings_room_id_started_at"), "recordings", ["room_id", "started_at"]
    )
    op.create_index(op.f("ix_recordings_status"), "recordings", ["status"])
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE recordings ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE recordings FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON recordings USING ({RULE}) WITH CHECK ({RULE})")


def downgrade() -> None:
    op.drop_table("recordings")
