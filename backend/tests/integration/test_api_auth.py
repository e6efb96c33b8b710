"""/api/v1/auth end to end through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import statistics
import time

from fastapi.testclient import TestClient

from tests.integration.accounts_helpers import (
    PASSWORD,
    link_token,
    login,
    mails_to,
    register,
    sign_up,
    unique_email,
)
from tests.integration.app_fixtures import AppMaker


def _error(response: object) -> dict[str, object]:
    body = response.json()  # type: ignore[attr-defined]
    error: dict[str, object] = body["error"]
    return error


def test_register_sends_a_verification_mail_and_verify_works(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    email = unique_email("Ana")
    user = register(client, email.upper())
    assert user["email"] == email.lower()
    assert user["email_verified"] is False
    assert "password" not in str(user)

    [mail] = mails_to(client, email.lower())
    assert "confirm your email" in mail["subject"].lower()
    token = link_token(mail, "verify-email")
    assert "http://127.0.0.1:8080/verify-email?token=" in mail["text"]

    verified = client.post("/api/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200, verified.text
    assert verified.json()["user"]["email_verified"] is True
    again = client.post("/api/v1/auth/verify-email", json={"token": token})
    assert again.status_code == 400
    assert _error(again)["code"] == "invalid_token"


def test_register_refuses_duplicates_weak_passwords_and_bad_fields(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    email = unique_email()
    register(client, email)
    duplicate = client.post(
        "/api/v1/auth/register",
        json={"email": email.upper(), "password": PASSWORD, "first_name": "A", "last_name": "B"},
    )
    assert duplicate.status_code == 409
    assert _error(duplicate)["code"] == "email_taken"

    weak = client.post(
        "/api/v1/auth/register",
        json={
            "email": unique_email(),
            "password": "password123",
            "first_name": "A",
            "last_name": "B",
        },
    )
    assert weak.status_code == 400
    assert _error(weak)["code"] == "weak_password"

    bad = client.post(
        "/api/v1/auth/register",
        json={"email": "not-an-email", "password": PASSWORD, "first_name": " ", "extra": 1},
    )
    assert bad.status_code == 422
    fields = {problem["field"] for problem in _error(bad)["details"]}  # type: ignore[attr-defined]
    assert {"body.email", "body.first_name", "body.last_name", "body.extra"} <= fields


def test_login_does_not_reveal_which_emails_exist(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, bcrypt_rounds=8, rate_limits_enabled=False)
    email = unique_email()
    register(client, email)
    unknown = client.post(
        "/api/v1/auth/login", json={"email": unique_email(), "password": PASSWORD}
    )
    wrong = client.post("/api/v1/auth/login", json={"email": email, "password": "not it at all"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert unknown.headers["www-authenticate"] == "Bearer"

    def timed(body: dict[str, str]) -> float:
        started = time.perf_counter()
        client.post("/api/v1/auth/login", json=body)
        return time.perf_counter() - started

    unknown_times = [timed({"email": unique_email(), "password": PASSWORD}) for _ in range(5)]
    wrong_times = [timed({"email": email, "password": "not it at all"}) for _ in range(5)]
    ratio = statistics.median(unknown_times) / statistics.median(wrong_times)
    assert 0.5 < ratio < 2.0, (unknown_times, wrong_times)


def test_tokens_refresh_rotate_and_reuse_revokes_the_session(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url)
    signed_in = sign_up(client)
    assert client.get("/api/v1/auth/sessions", headers=signed_in.headers).status_code == 200

    first = client.post("/api/v1/auth/refresh", json={"refresh_token": signed_in.refresh_token})
    assert first.status_code == 200, first.text
    rotated = first.json()
    assert rotated["refresh_token"] != signed_in.refresh_token
    assert rotated["token_type"] == "bearer"
    assert rotated["expires_in"] == 24 * 3600
    assert rotated["refresh_expires_in"] == 7 * 24 * 3600

    # The old refresh token comes back: someone copied it. The whole sign-in ends.
    reused = client.post("/api/v1/auth/refresh", json={"refresh_token": signed_in.refresh_token})
    assert reused.status_code == 401
    assert _error(reused)["code"] == "invalid_refresh_token"
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert after.status_code == 401
    headers = {"Authorization": f"Bearer {rotated['access_token']}"}
    ended = client.get("/api/v1/auth/sessions", headers=headers)
    assert ended.status_code == 401
    assert _error(ended)["code"] == "session_ended"


def test_logout_ends_the_session_at_once(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    signed_in = sign_up(client)
    assert client.get("/api/v1/auth/sessions", headers=signed_in.headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=signed_in.headers).status_code == 204
    assert client.get("/api/v1/auth/sessions", headers=signed_in.headers).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": signed_in.refresh_token})
    assert refresh.status_code == 401
    assert client.post("/api/v1/auth/logout").status_code == 401


def test_bad_tokens_are_refused(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    for header in ("Bearer nonsense", "Bearer a.b.c", "Basic dXNlcjpwYXNz", ""):
        response = client.get("/api/v1/auth/sessions", headers={"Authorization": header})
        assert response.status_code == 401, header
    signed_in = sign_up(client)
    other_app = make_client(sqlite_url, secret_key="a-completely-different-secret-0123456789abcdef")
    forged = other_app.get("/api/v1/auth/sessions", headers=signed_in.headers)
    assert forged.status_code == 401
    assert _error(forged)["code"] == "invalid_token"


def test_sessions_list_and_revoke(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    laptop = sign_up(client)
    phone = login(client, laptop.email, **{"user-agent": "RapatPhone/1.0"})
    listed = client.get("/api/v1/auth/sessions", headers=laptop.headers).json()
    assert len(listed) == 2
    current = [session for session in listed if session["current"]]
    assert len(current) == 1
    other = next(session for session in listed if not session["current"])
    assert other["user_agent"] == "RapatPhone/1.0"
    assert other["ip_address"] == "testclient"

    revoked = client.delete(f"/api/v1/auth/sessions/{other['id']}", headers=laptop.headers)
    assert revoked.status_code == 204
    assert client.get("/api/v1/auth/sessions", headers=phone.headers).status_code == 401
    assert len(client.get("/api/v1/auth/sessions", headers=laptop.headers).json()) == 1
    again = client.delete(f"/api/v1/auth/sessions/{other['id']}", headers=laptop.headers)
    assert again.status_code == 404

    stranger = sign_up(client, "stranger")
    mine = client.get("/api/v1/auth/sessions", headers=laptop.headers).json()[0]["id"]
    theirs = client.delete(f"/api/v1/auth/sessions/{mine}", headers=stranger.headers)
    assert theirs.status_code == 404
    assert client.get("/api/v1/auth/sessions", headers=laptop.headers).status_code == 200


def test_session_ip_address_is_encrypted_at_rest(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    sign_up(client)
    path = sqlite_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as connection:
        [(stored,)] = connection.execute("SELECT ip_address FROM user_sessions").fetchall()
    assert stored.startswith("v1.k0.")
    assert "testclient" not in stored


def test_forgot_and_reset_password(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url)
    signed_in = sign_up(client)
    unknown = client.post("/api/v1/auth/forgot-password", json={"email": unique_email()})
    known = client.post("/api/v1/auth/forgot-password", json={"email": signed_in.email})
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()

    reset_mail = next(
        m for m in mails_to(client, signed_in.email) if "reset" in m["subject"].lower()
    )
    token = link_token(reset_mail, "reset-password")
    weak = client.post("/api/v1/auth/reset-password", json={"token": token, "password": "short"})
    assert weak.status_code == 400
    new_password = "a brand new pass phrase"
    done = client.post(
        "/api/v1/auth/reset-password", json={"token": token, "password": new_password}
    )
    assert done.status_code == 200, done.text

    assert client.get("/api/v1/auth/sessions", headers=signed_in.headers).status_code == 401
    reuse = client.post(
        "/api/v1/auth/reset-password", json={"token": token, "password": new_password}
    )
    assert reuse.status_code == 400
    assert (
        client.post(
            "/api/v1/auth/login", json={"email": signed_in.email, "password": PASSWORD}
        ).status_code
        == 401
    )
    login(client, signed_in.email, new_password)
    assert any("changed" in m["subject"].lower() for m in mails_to(client, signed_in.email))


def test_resend_verification(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    signed_in = sign_up(client)
    first_token = link_token(mails_to(client, signed_in.email)[0], "verify-email")
    resent = client.post("/api/v1/auth/resend-verification", headers=signed_in.headers)
    assert resent.status_code == 202
    newest = mails_to(client, signed_in.email)[0]
    new_token = link_token(newest, "verify-email")
    assert new_token != first_token
    stale = client.post("/api/v1/auth/verify-email", json={"token": first_token})
    assert stale.status_code == 400  # a new link voids the old one
    assert client.post("/api/v1/auth/verify-email", json={"token": new_token}).status_code == 200
    done = client.post("/api/v1/auth/resend-verification", headers=signed_in.headers)
    assert done.status_code == 409
    assert _error(done)["code"] == "already_verified"


def test_login_is_rate_limited_per_ip(make_client: AppMaker, sqlite_url: str) -> None:
    client: TestClient = make_client(sqlite_url, rate_limits_enabled=True)
    body = {"email": unique_email(), "password": "whatever it is"}
    statuses = [client.post("/api/v1/auth/login", json=body) for _ in range(6)]
    assert [r.status_code for r in statuses] == [401] * 5 + [429]
    assert statuses[0].headers["x-ratelimit-limit"] == "5"
    assert statuses[0].headers["x-ratelimit-remaining"] == "4"
    limited = statuses[-1]
    assert _error(limited)["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1


def test_the_authenticated_api_is_rate_limited_per_user(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client: TestClient = make_client(
        sqlite_url, rate_limits_enabled=True, rate_limit_api="4/minute"
    )
    ana, budi = sign_up(client, "ana"), sign_up(client, "budi")
    statuses = [client.get("/api/v1/users/profile", headers=ana.headers) for _ in range(5)]
    assert [r.status_code for r in statuses] == [200] * 4 + [429]
    assert statuses[0].headers["x-ratelimit-limit"] == "4"
    assert statuses[0].headers["x-ratelimit-remaining"] == "3"
    assert _error(statuses[-1])["details"]["scope"] == "api"
    # Any authenticated route counts; other people have their own count.
    assert client.get("/api/v1/rooms", headers=ana.headers).status_code == 429
    assert client.get("/api/v1/rooms", headers=budi.headers).status_code == 200


def test_mailbox_is_absent_in_production(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(
        sqlite_url, env="production", secret_key="prod-secret-" + "0123456789abcdef" * 3
    )
    assert client.get("/api/v1/dev/mailbox").status_code == 404
