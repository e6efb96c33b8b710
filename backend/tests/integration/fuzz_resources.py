"""Real things for the fuzzer to name in paths: random identifiers only ever reach the 404
branch, so each operation is also fuzzed with path parameters that exist (a room the
fuzzer's user hosts, a member of it, a contact, a webhook, a notification, another
session), made fresh for that operation through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from schemathesis.python.asgi import ASGIClient

from tests.integration.accounts_helpers import SignedIn, login, sign_up

# Where the fuzzer's webhooks point: the discard port on this machine, which refuses the
# connection. The fuzzer never makes the app send anything beyond this machine.
LOOPBACK_HOOK = "http://127.0.0.1:9/rapat-fuzz"


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def existing_identifiers(client: ASGIClient, me: SignedIn) -> dict[str, str]:
    """Identifiers by path parameter name, each naming something `me` can see."""
    # The helpers take Starlette's TestClient; the ASGI client has the same calls.
    api: Any = client
    guest = sign_up(api, "guest")
    starts = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    room = _ok(
        api.post(
            "/api/v1/rooms",
            json={"name": "Fuzz", "scheduled_at": starts, "duration_minutes": 30},
            headers=me.headers,
        ),
        201,
    )
    _ok(api.post(f"/api/v1/rooms/{room['id']}/join", json={}, headers=guest.headers))
    contacts = "/api/v1/users/contacts"
    _ok(api.post(contacts, json={"user_id": guest.user["id"]}, headers=me.headers), 201)
    # The guest adding `me` leaves `me` a notification.
    _ok(api.post(contacts, json={"user_id": me.user["id"]}, headers=guest.headers), 201)
    notifications = _ok(api.get("/api/v1/notifications", headers=me.headers))["items"]
    return {
        "room_id": room["id"],
        "user_id": guest.user["id"],
        "contact_id": guest.user["id"],
        "notification_id": notifications[0]["id"],
        "webhook_id": _a_webhook(api, me),
        "session_id": _another_session(api, me),
    }


def _a_webhook(api: Any, me: SignedIn) -> str:
    """One of `me`'s webhooks: the fuzzer creates many, and an account may keep 20."""
    hooks = _ok(api.get("/api/v1/webhooks", headers=me.headers))
    if hooks:
        return str(hooks[0]["id"])
    body = {"url": LOOPBACK_HOOK, "events": ["room.ended"]}
    return str(_ok(api.post("/api/v1/webhooks", json=body, headers=me.headers), 201)["id"])


def _another_session(api: Any, me: SignedIn) -> str:
    """A session of `me` that is not the fuzzer's own, free to be revoked."""
    other = login(api, me.email)
    sessions = _ok(api.get("/api/v1/auth/sessions", headers=other.headers))
    return str(next(session["id"] for session in sessions if session["current"]))
