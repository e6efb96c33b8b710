"""Every room endpoint against every role, a stranger, someone the host removed and an
anonymous caller: the permission table, enforced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from rapat.domain.permissions import PERMISSIONS, Action, Role
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_room_bans import remove_live

ROLES = ("host", "moderator", "participant", "observer", "stranger", "removed", "anonymous")
MEMBERS = {"host", "moderator", "participant", "observer"}
LEADERS = {"host", "moderator"}
# Every signed-in person: rooms are seen and joined by link. A removed person is banned from
# joining (docs/api.md, bans) and otherwise a stranger.
EVERYONE = set(ROLES) - {"anonymous"}
SEATED = {"moderator", "participant", "observer"}  # joined in _world


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    allowed: set[str]
    body: dict[str, Any] | None = None
    ok_status: int = 200


CASES = [
    Case("view", "GET", "", EVERYONE),
    Case("update", "PUT", "", LEADERS, {"name": "Renamed"}),
    Case("delete", "DELETE", "", {"host"}, ok_status=204),
    Case("join", "POST", "/join", EVERYONE - {"removed"}, {}),
    # Where the room's signaling is (decision 61): as public as the room itself.
    Case("signaling", "GET", "/signaling", EVERYONE),
    Case("end", "POST", "/end", LEADERS),
    Case("participants", "GET", "/participants", MEMBERS),
    Case("history", "GET", "/history", MEMBERS),
    Case("messages", "GET", "/messages", MEMBERS),
    Case("settings", "GET", "/settings", MEMBERS),
    Case("recordings", "GET", "/recordings", MEMBERS),
    Case("change settings", "PUT", "/settings", {"host"}, {"allow_chat": False}),
    Case("assign role", "PUT", "/participants/{participant}", {"host"}, {"role": "observer"}),
    Case("invitation", "GET", "/invite.ics", EVERYONE),
    Case("invite people", "POST", "/invitations", LEADERS, {"user_ids": ["{invitee}"]}),
    # Anyone may leave; whoever has no seat in the meeting (the host never joined here, the
    # others never did or were removed) learns so with 409.
    Case("leave", "POST", "/leave", EVERYONE, ok_status=409),
    Case("bans", "GET", "/bans", LEADERS),
    # Nobody is banned here: those allowed learn so (404); the others are refused first.
    Case("lift ban", "DELETE", "/bans/{participant}", LEADERS, ok_status=404),
    # The lobby (decision 59): nobody waits here, so admitting or denying someone is 404
    # for those allowed; anyone may look at (or give up) their own place.
    Case("lobby", "GET", "/lobby", LEADERS),
    Case("admit all", "POST", "/lobby/admit-all", LEADERS),
    Case("admit", "POST", "/lobby/{participant}/admit", LEADERS, ok_status=404),
    Case("deny", "POST", "/lobby/{participant}/deny", LEADERS, ok_status=404),
    Case("my lobby place", "GET", "/lobby/me", EVERYONE),
    Case("stop waiting", "DELETE", "/lobby/me", EVERYONE, ok_status=204),
]


def _world(client: TestClient, people: dict[str, SignedIn], role: str) -> dict[str, Any]:
    """A fresh scheduled room with one person in each role (the stranger stays outside; the
    removed person is only made when the case is about them: it takes a live meeting)."""
    start = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    room = create_room(client, people["host"], scheduled_at=start)
    if role == "removed":
        for who in ("host", "removed"):
            assert join(client, people[who], room).status_code == 200
        remove_live(client, room, people["host"], people["removed"])
    for role in ("moderator", "participant"):
        assert join(client, people[role], room).status_code == 200
    assert join(client, people["observer"], room, as_observer=True).status_code == 200
    promoted = client.put(
        f"/api/v1/rooms/{room['id']}/participants/{people['moderator'].user['id']}",
        json={"role": "moderator"},
        headers=people["host"].headers,
    )
    assert promoted.status_code == 200
    return room


def _check(
    client: TestClient, people: dict[str, SignedIn], case: Case, role: str, failures: list[str]
) -> None:
    room = _world(client, people, role)
    path = f"/api/v1/rooms/{room['id']}{case.path}".replace(
        "{participant}", people["participant"].user["id"]
    )
    headers = people[role].headers if role != "anonymous" else {}
    body = case.body
    if body and body.get("user_ids"):
        body = {"user_ids": [people["invitee"].user["id"]]}
    response = client.request(case.method, path, json=body, headers=headers)
    expected, code = _expected(case, role)
    if response.status_code != expected:
        failures.append(f"{case.name} as {role}: {response.status_code} != {expected}")
    elif code and response.json()["error"]["code"] != code:
        failures.append(f"{case.name} as {role}: code {response.json()['error']['code']}")


def _expected(case: Case, role: str) -> tuple[int, str | None]:
    """The status and error code `role` must get for `case`."""
    if role == "anonymous":
        return 401, "not_authenticated"
    if case.name == "leave" and role in SEATED:
        return 204, None
    if role in case.allowed:
        return case.ok_status, None
    if role == "removed" and case.name == "join":
        return 403, "banned_from_room"
    return 403, "not_allowed"


def test_permission_matrix(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    signed_in = [role for role in ROLES if role != "anonymous"]
    people = {role: sign_up(client, role) for role in (*signed_in, "invitee")}
    failures: list[str] = []
    for case in CASES:
        for role in ROLES:
            _check(client, people, case, role, failures)
    assert not failures, "\n".join(failures)


def test_observers_join_as_observers(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    host, watcher = sign_up(client, "host"), sign_up(client, "watcher")
    room = create_room(client, host)
    joined = join(client, watcher, room, as_observer=True).json()
    assert joined["participant"]["role"] == "observer"
    assert joined["room"]["my_role"] == "observer"


def test_permission_table_is_the_one_the_matrix_expects() -> None:
    expect: dict[Action, set[str]] = {
        Action.UPDATE: LEADERS,
        Action.END: LEADERS,
        Action.DELETE: {"host"},
        Action.CHANGE_SETTINGS: {"host"},
        Action.ASSIGN_ROLES: {"host"},
        Action.VIEW_MEMBERS: MEMBERS,
        Action.PUBLISH_MEDIA: {"host", "moderator", "participant"},
        Action.MODERATE: LEADERS,
        Action.ADMIT: LEADERS,
        # moderators only where the room's recording_permission lets them (test_rooms_rules)
        Action.RECORD: LEADERS,
    }
    for action, roles in expect.items():
        assert {role.value for role in PERMISSIONS[action]} == roles, action
    assert Role.OBSERVER not in PERMISSIONS[Action.PUBLISH_MEDIA]


def test_every_room_route_is_in_the_matrix(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    prefix = "/api/v1/rooms/{room_id}"
    spec = client.get("/openapi.json").json()["paths"]
    routes = {
        (method.upper(), path.removeprefix(prefix).replace("{user_id}", "{participant}"))
        for path, ops in spec.items()
        if path.startswith(prefix)
        for method in ops
    }
    assert routes == {(case.method, case.path) for case in CASES}
