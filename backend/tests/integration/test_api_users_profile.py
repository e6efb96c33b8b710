"""/api/v1/users: profile, password change and what every route asks of the caller,
on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.accounts_helpers import PASSWORD, login, mails_to, register, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.notifications_helpers import channel_url, closed_with
from tests.integration.users_helpers import error, execute, fields

NEW_PASSWORD = "a quite different pass phrase"

# Every route of the users API that needs a signed-in caller, with a valid body.
PROTECTED = [
    ("GET", "/api/v1/users/profile", None),
    ("PUT", "/api/v1/users/profile", {"first_name": "X"}),
    ("DELETE", "/api/v1/users/profile/avatar", None),
    ("PUT", "/api/v1/users/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
    ("GET", "/api/v1/users/contacts", None),
    ("POST", "/api/v1/users/contacts", {"user_id": "00000000-0000-4000-8000-000000000000"}),
    ("DELETE", "/api/v1/users/contacts/00000000-0000-4000-8000-000000000000", None),
    ("GET", "/api/v1/users/search?q=an", None),
    ("GET", "/api/v1/users/settings", None),
    ("PUT", "/api/v1/users/settings", {"settings": {}}),
]


def _client(make_client: AppMaker, database_url: str) -> TestClient:
    return make_client(database_url, rate_limits_enabled=False)


def test_profile_read_and_update(make_client: AppMaker, database_url: str) -> None:
    client = _client(make_client, database_url)
    ana = sign_up(client, first_name="Ana", last_name="Lim")
    profile = client.get("/api/v1/users/profile", headers=ana.headers)
    assert profile.status_code == 200, profile.text
    assert profile.json() == ana.user | {"last_login": profile.json()["last_login"]}
    assert profile.json()["email"] == ana.email

    renamed = client.put(
        "/api/v1/users/profile", json={"first_name": "  Anastasia "}, headers=ana.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["first_name"], renamed.json()["last_name"]) == ("Anastasia", "Lim")
    both = client.put(
        "/api/v1/users/profile", json={"first_name": "Ana", "last_name": "Li"}, headers=ana.headers
    )
    assert (both.json()["first_name"], both.json()["last_name"]) == ("Ana", "Li")
    unchanged = client.put("/api/v1/users/profile", json={}, headers=ana.headers)
    assert unchanged.status_code == 200
    assert client.get("/api/v1/users/profile", headers=ana.headers).json()["last_name"] == "Li"


def test_profile_update_refuses_bad_fields(make_client: AppMaker, database_url: str) -> None:
    client = _client(make_client, database_url)
    ana = sign_up(client)
    bad = client.put(
        "/api/v1/users/profile",
        json={"first_name": " ", "last_name": None, "email": "x@example.com"},
        headers=ana.headers,
    )
    assert bad.status_code == 422
    assert error(bad)["code"] == "validation_failed"
    assert {"body.first_name", "body.last_name", "body.email"} <= fields(bad)
    too_long = client.put(
        "/api/v1/users/profile", json={"last_name": "x" * 101}, headers=ana.headers
    )
    control = client.put("/api/v1/users/profile", json={"last_name": "a\nb"}, headers=ana.headers)
    assert too_long.status_code == control.status_code == 422
    assert client.get("/api/v1/users/profile", headers=ana.headers).json()["last_name"] == "Lim"


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED)
def test_every_route_needs_a_token(
    make_client: AppMaker, sqlite_url: str, method: str, path: str, body: object
) -> None:
    client = _client(make_client, sqlite_url)
    response = client.request(method, path, json=body)
    assert response.status_code == 401
    assert error(response)["code"] == "not_authenticated"
    bogus = client.request(method, path, json=body, headers={"Authorization": "Bearer nope"})
    assert bogus.status_code == 401


def test_a_deleted_or_disabled_account_behind_a_live_token(
    make_client: AppMaker, database_url: str
) -> None:
    client = _client(make_client, database_url)
    ana, bo = sign_up(client), sign_up(client)
    # The first request caches the session as live, so the token alone still passes.
    assert client.get("/api/v1/users/profile", headers=ana.headers).status_code == 200
    assert client.get("/api/v1/users/profile", headers=bo.headers).status_code == 200
    execute(client, "DELETE FROM users WHERE id = :id", id=ana.user["id"].replace("-", ""))
    execute(client, "UPDATE users SET status = 'banned' WHERE email = :email", email=bo.email)
    for method, path, body in PROTECTED:
        gone = client.request(method, path, json=body, headers=ana.headers)
        assert gone.status_code == 401, (path, gone.text)
        banned = client.request(method, path, json=body, headers=bo.headers)
        assert banned.status_code == 403, (path, banned.text)
        assert error(banned)["code"] == "account_disabled"


def test_password_change_signs_out_other_sessions_only(
    make_client: AppMaker, database_url: str
) -> None:
    client = _client(make_client, database_url)
    laptop = sign_up(client)
    phone = login(client, laptop.email)
    assert client.get("/api/v1/users/profile", headers=phone.headers).status_code == 200

    changed = client.put(
        "/api/v1/users/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=laptop.headers,
    )
    assert changed.status_code == 204, changed.text
    assert client.get("/api/v1/users/profile", headers=laptop.headers).status_code == 200
    ended = client.get("/api/v1/users/profile", headers=phone.headers)
    assert ended.status_code == 401
    assert error(ended)["code"] == "session_ended"
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": phone.refresh_token})
    assert refresh.status_code == 401
    kept = client.post("/api/v1/auth/refresh", json={"refresh_token": laptop.refresh_token})
    assert kept.status_code == 200

    old = client.post("/api/v1/auth/login", json={"email": laptop.email, "password": PASSWORD})
    assert old.status_code == 401
    login(client, laptop.email, NEW_PASSWORD)
    assert any("password" in mail["subject"].lower() for mail in mails_to(client, laptop.email))


def test_password_change_refusals(make_client: AppMaker, database_url: str) -> None:
    client = _client(make_client, database_url)
    ana = sign_up(client)
    other = login(client, ana.email)

    def change(current: str, new: str) -> object:
        return client.put(
            "/api/v1/users/password",
            json={"current_password": current, "new_password": new},
            headers=ana.headers,
        )

    wrong = change("not my password at all", NEW_PASSWORD)
    assert wrong.status_code == 403  # type: ignore[attr-defined]
    assert error(wrong)["code"] == "wrong_password"  # type: ignore[arg-type]
    weak = change(PASSWORD, "password123")
    assert error(weak)["code"] == "weak_password"  # type: ignore[arg-type]
    assert weak.json()["error"]["details"][0]["field"] == "new_password"  # type: ignore[attr-defined]
    # The same status as the policy's refusal at registration.
    weak_signup = client.post(
        "/api/v1/auth/register",
        json={
            "email": "x" + ana.email,
            "password": "password123",
            "first_name": "A",
            "last_name": "B",
        },
    )
    assert weak.status_code == weak_signup.status_code  # type: ignore[attr-defined]
    missing = client.put(
        "/api/v1/users/password", json={"new_password": NEW_PASSWORD}, headers=ana.headers
    )
    assert missing.status_code == 422
    assert "body.current_password" in fields(missing)
    # Nothing changed: the old password works and the other session is still live.
    assert client.get("/api/v1/users/profile", headers=other.headers).status_code == 200
    login(client, ana.email)
    register(client)  # registration still works for others (no shared state was touched)


def test_a_disabled_account_is_refused_on_every_route_and_socket(
    make_client: AppMaker, database_url: str
) -> None:
    client = _client(make_client, database_url)
    host = sign_up(client, "host")
    room = client.post("/api/v1/rooms", json={"name": "Standup"}, headers=host.headers).json()
    # Disabled by an operator; the token was issued before and its session not seen since
    # the last request beyond the cache (a fresh sign-in is the same: login refuses).
    gone = sign_up(client, "gone")
    execute(client, "UPDATE users SET status = 'banned' WHERE email = :email", email=gone.email)
    for method, path in (
        ("GET", "/api/v1/rooms"),
        ("POST", f"/api/v1/rooms/{room['id']}/join"),
        ("GET", "/api/v1/rtc/ice-servers"),
        ("GET", "/api/v1/notifications"),
    ):
        refused = client.request(method, path, json={}, headers=gone.headers)
        assert (refused.status_code, error(refused)["code"]) == (403, "account_disabled"), path
    with client.websocket_connect(channel_url(gone)) as ws:
        assert closed_with(ws) == 4403
