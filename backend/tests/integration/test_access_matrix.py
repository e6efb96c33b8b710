"""Who may call what, for every REST route: the public ones are listed, every other one
refuses an anonymous caller, and a person's own things (sessions, contacts, notifications,
webhooks) are invisible to everyone else. Generated from the app's own route table, so a
route added without a decision here fails the test."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room

# Routes anyone may call without signing in, and why.
PUBLIC = {
    ("GET", "/healthz"),  # probes
    ("GET", "/readyz"),
    ("GET", "/metrics"),  # scraped; docs/operations.md says to keep it off the public edge
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),  # the refresh token is the credential
    ("POST", "/api/v1/auth/verify-email"),  # the emailed token is the credential
    ("POST", "/api/v1/auth/forgot-password"),
    ("POST", "/api/v1/auth/reset-password"),  # the emailed token is the credential
    ("GET", "/api/v1/users/{user_id}/avatar"),  # <img> tags send no bearer token
    ("GET", "/api/v1/dev/mailbox/status"),  # whether there is one (404 when not)
    ("GET", "/api/v1/server/features"),  # what the server offers, shown before sign-in
    # <video src> sends no bearer token: the short-lived link token is the credential
    ("GET", "/api/v1/recordings/{recording_id}/file"),
}


def _operations(client: TestClient) -> list[tuple[str, str]]:
    spec = client.get("/openapi.json").json()
    return [(method.upper(), path) for path, ops in spec["paths"].items() for method in ops]


def _filled(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


def test_every_route_is_public_by_decision_or_refuses_anonymous_callers(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, dev_mailbox_show_all=False)
    operations = _operations(client)
    assert set(operations) >= PUBLIC, "a public route in the table no longer exists"
    failures = []
    for method, path in operations:
        if (method, path) in PUBLIC:
            continue
        response = client.request(method, _filled(path), json={})
        code = response.json().get("error", {}).get("code") if response.content else None
        if (response.status_code, code) != (401, "not_authenticated"):
            failures.append(f"{method} {path}: {response.status_code} {code}")
    assert not failures, "\n".join(failures)


def test_a_token_that_is_not_one_is_refused_everywhere(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    forged = {"Authorization": "Bearer not.a.token"}
    failures = []
    for method, path in _operations(client):
        if (method, path) in PUBLIC:
            continue
        response = client.request(method, _filled(path), json={}, headers=forged)
        if response.status_code != 401:
            failures.append(f"{method} {path}: {response.status_code}")
    assert not failures, "\n".join(failures)


@dataclass(frozen=True)
class Owned:
    """A call on something `owner` has, made by someone else: it must look like it does not
    exist (404), so ids cannot be probed."""

    name: str
    method: str
    path: str


def _things_of(client: TestClient, owner: SignedIn, friend: SignedIn) -> dict[str, str]:
    room = create_room(client, owner)
    hook = client.post(
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/hook", "events": ["room.ended"], "room_id": room["id"]},
        headers=owner.headers,
    )
    assert hook.status_code == 201, hook.text
    added = client.post(
        "/api/v1/users/contacts", json={"user_id": friend.user["id"]}, headers=owner.headers
    )
    assert added.status_code == 201, added.text
    # The friend's notification of being added is theirs: the owner must not touch it.
    notes = client.get("/api/v1/notifications", headers=friend.headers).json()["items"]
    sessions = client.get("/api/v1/auth/sessions", headers=owner.headers).json()
    session_items = sessions["items"] if isinstance(sessions, dict) else sessions
    return {
        "webhook": hook.json()["id"],
        "contact": friend.user["id"],
        "notification": notes[0]["id"],
        "session": session_items[0]["id"],
    }


OWNED = [
    Owned("see a webhook", "GET", "/api/v1/webhooks/{webhook}"),
    Owned("delete a webhook", "DELETE", "/api/v1/webhooks/{webhook}"),
    Owned("read a webhook's deliveries", "GET", "/api/v1/webhooks/{webhook}/deliveries"),
    Owned("end a session", "DELETE", "/api/v1/auth/sessions/{session}"),
    Owned("remove a contact", "DELETE", "/api/v1/users/contacts/{contact}"),
]


def test_a_persons_own_things_are_invisible_to_others(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url, webhook_allow_private=True)
    owner, friend, stranger = (sign_up(client, n) for n in ("owner", "friend", "stranger"))
    ids = _things_of(client, owner, friend)
    failures = []
    for case in OWNED:
        path = case.path.format(**ids)
        response = client.request(case.method, path, headers=stranger.headers)
        if response.status_code != 404:
            failures.append(f"{case.name} as a stranger: {response.status_code}")
    marked = client.post(f"/api/v1/notifications/{ids['notification']}/read", headers=owner.headers)
    if marked.status_code != 404:
        failures.append(f"mark another's notification read: {marked.status_code}")
    assert not failures, "\n".join(failures)
    # And nothing was touched: the owner still has all of it.
    _still_there(client, owner, friend, ids)


def _still_there(
    client: TestClient, owner: SignedIn, friend: SignedIn, ids: dict[str, Any]
) -> None:
    hook = client.get(f"/api/v1/webhooks/{ids['webhook']}", headers=owner.headers)
    assert hook.status_code == 200
    contacts = client.get("/api/v1/users/contacts", headers=owner.headers).json()
    listed = contacts["items"] if isinstance(contacts, dict) else contacts
    assert any(friend.user["id"] in str(item) for item in listed)
    unread = client.get("/api/v1/notifications/unread-count", headers=friend.headers).json()
    assert unread["unread"] >= 1
    assert client.get("/api/v1/auth/sessions", headers=owner.headers).status_code == 200
