"""Row-level security on a room's sensitive rows: chat, participants, attendance history.

PostgreSQL only (SQLite has no row security; there this revision does nothing). A row is
visible, and may be written, when `rapat.scope` is `system`, or its room is one the user
in `rapat.user_id` belongs to (has a `room_participants` row in, or hosts), or, for participants
and history, it is the user's own row. `rapat.storage.scope` sets both settings at the
start of every transaction (decision 46). FORCE applies the policies to the tables' owner
too; superusers and BYPASSRLS roles still see everything (docs/operations.md).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POLICY = "room_members_only"
ME = "NULLIF(current_setting('rapat.user_id', true), '')::uuid"
SYSTEM = "current_setting('rapat.scope', true) = 'system'"
MEMBER = "room_id IN (SELECT rapat_member_rooms())"
# The table and who may see a row: the system, a member of its room, or (where the row
# names a person) that person.
RULES = {
    "room_messages": f"{SYSTEM} OR {MEMBER}",
    "room_participants": f"{SYSTEM} OR user_id = {ME} OR {MEMBER}",
    "meeting_history": f"{SYSTEM} OR user_id = {ME} OR {MEMBER}",
}

# The rooms of the current user: those they have a participant row in, and those they
# host (the service counts a host as a member even without the row). It reads
# room_participants, whose own policy calls it: inside, `rapat.scope` is `system` (only
# for the call), so that policy passes at its first term and never calls back. Both
# lookups are indexed (user_id; host_id, status). Not SECURITY DEFINER: it needs no right
# the caller lacks. `FROM CURRENT` pins the schema it reads.
MEMBER_ROOMS = """
CREATE FUNCTION rapat_member_rooms() RETURNS SETOF uuid
LANGUAGE sql STABLE
SET rapat.scope = 'system'
SET search_path FROM CURRENT
AS $$
    SELECT room_id FROM room_participants
    WHERE user_id = NULLIF(current_setting('rapat.user_id', true), '')::uuid
    UNION
    SELECT id FROM rooms
    WHERE host_id = NULLIF(current_setting('rapat.user_id', true), '')::uuid
$$
"""


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(MEMBER_ROOMS)
    for table, rule in RULES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON {table} USING ({rule}) WITH CHECK ({rule})")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table in RULES:
        op.execute(f"DROP POLICY {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION rapat_member_rooms()")
