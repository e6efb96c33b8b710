"""The waiting room's rules that need no I/O: who waits, and for how long things last
(decision 59)."""

from __future__ import annotations

from typing import Literal

from rapat.domain.permissions import Role

LobbyScope = Literal["guests", "everyone_but_hosts"]
GUESTS: LobbyScope = "guests"
EVERYONE_BUT_HOSTS: LobbyScope = "everyone_but_hosts"

# A waiting place lapses this long after the waiting person's last sign of life (the join
# that put them there, or a look at `GET …/lobby/me`, which the web app makes every 10 s):
# a closed tab leaves the hosts' list within half a minute.
WAIT_TTL = 30.0
# An admission is kept this long for the admitted person's next join, so an admission
# that reached no open tab still lets them in when they look again.
GRANT_TTL = 300.0
# After a denial the person cannot knock again for this long: no knocking in a loop.
DENY_COOLDOWN = 60.0


def must_wait(
    *,
    lobby_enabled: bool,
    scope: LobbyScope,
    member_role: Role | None,
    in_meeting: bool,
    is_host: bool,
) -> bool:
    """Whether a join goes to the lobby instead of a seat. `member_role` is the person's
    membership in the room (None: never joined, or their membership ended by a removal
    or a password change); `in_meeting`: they hold a seat now (a reload, another tab).

    Nobody already in the meeting waits, and the host never does. With `guests`, members
    (who were let in once) come straight back; with `everyone_but_hosts`, only the host
    and moderators do."""
    if not lobby_enabled or in_meeting or is_host:
        return False
    if member_role is None:
        return True
    if scope == GUESTS:
        return False
    return member_role not in (Role.HOST, Role.MODERATOR)
