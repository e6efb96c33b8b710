"""Server settings whose effect no other test proves: each runs with a value other than
the default and checks what the server does with it (the audit is in docs/operations.md)."""

from __future__ import annotations

import base64
import json
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from anyio.from_thread import BlockingPortal
from fastapi.testclient import TestClient
from sqlalchemy import select

from rapat.security.secret_key import FILE_NAME
from rapat.storage.models.users import User
from rapat.storage.models.webhooks import Webhook
from tests.conftest import REDIS_URL
from tests.integration.accounts_helpers import link_token, mails_to, register, sign_up
from tests.integration.app_fixtures import AppMaker, runtime
from tests.integration.notifications_helpers import channel_url, next_event
from tests.integration.rooms_helpers import create_room, join
from tests.waiting import wait_until_sync


def portal(client: TestClient) -> BlockingPortal:
    assert client.portal is not None, "the client is not started"
    return client.portal


def _jwt_part(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def test_tokens_follow_the_configured_lifetimes_and_algorithm(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(
        sqlite_url,
        access_token_ttl=120,
        refresh_token_ttl=900,
        jwt_algorithm="HS512",
        secret_key="k" * 64,  # HS512 needs 64 characters
    )
    email = register(client)["email"]
    body = client.post(
        "/api/v1/auth/login", json={"email": email, "password": "correct horse battery staple"}
    ).json()
    assert (body["expires_in"], body["refresh_expires_in"]) == (120, 900)
    assert _jwt_part(body["access_token"], 0)["alg"] == "HS512"
    claims = _jwt_part(body["access_token"], 1)
    assert claims["exp"] - claims["iat"] == 120


def test_public_url_and_link_lifetimes_reach_mails_and_invites(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(
        database_url,
        public_url="https://meet.example.org/",
        verify_email_ttl=2 * 3600,
        password_reset_ttl=10 * 60,
    )
    ana = sign_up(client, "ana")
    [verify] = mails_to(client, ana.email)
    assert "https://meet.example.org/verify-email?token=" in verify["text"]
    assert "The link expires in 2 hours" in verify["text"]
    client.post("/api/v1/auth/forgot-password", json={"email": ana.email})
    reset = next(m for m in mails_to(client, ana.email) if "reset" in m["subject"].lower())
    assert "The link expires in 10 minutes" in reset["text"]
    assert link_token(reset, "reset-password")
    room = create_room(client, ana)
    assert room["invite_url"] == f"https://meet.example.org/r/{room['code']}"


def test_reminders_reach_as_far_ahead_as_configured(
    make_client: AppMaker, database_url: str
) -> None:
    # The scan is run here, not by the hourly scheduler, so the test waits for nothing.
    client = make_client(database_url, reminder_minutes=90, reminder_scan_seconds=3600)
    host = sign_up(client, "host")
    now = datetime.now(UTC)
    create_room(client, host, name="Soon", scheduled_at=(now + timedelta(minutes=60)).isoformat())
    create_room(client, host, name="Later", scheduled_at=(now + timedelta(minutes=120)).isoformat())
    portal(client).call(runtime(client).services.live.reminders.send_due)
    items = client.get("/api/v1/notifications", headers=host.headers).json()["items"]
    reminders = [item["title"] for item in items if item["type"] == "meeting_reminder"]
    # The default 15 minutes would remind neither; 90 reminds the first alone.
    assert reminders == ["Soon starts in 90 minutes"]


@pytest.fixture
def silent_receiver() -> Iterator[str]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    listener.close()


def test_a_webhook_receiver_slower_than_the_timeout_fails_the_attempt(
    make_client: AppMaker, sqlite_url: str, silent_receiver: str
) -> None:
    client = make_client(
        sqlite_url, webhook_allow_private=True, webhook_timeout=0.3, job_max_attempts=1
    )
    host = sign_up(client, "host")
    room = create_room(client, host)
    hook = client.post(
        "/api/v1/webhooks",
        json={"url": silent_receiver, "events": ["room.ended"], "room_id": room["id"]},
        headers=host.headers,
    ).json()
    client.post(f"/api/v1/rooms/{room['id']}/end", headers=host.headers)

    def failed() -> dict[str, Any] | None:
        page = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=host.headers)
        items: list[dict[str, Any]] = page.json()["items"]
        return items[0] if items and items[0]["status"] == "failed" else None

    # Well under the default 10 s: only the configured 0.3 s ends the attempt this soon.
    delivery = wait_until_sync(failed, 4.0, "the delivery to fail on its timeout")
    [attempt] = delivery["attempts"]
    assert attempt["error"]


def test_secrets_at_rest_use_the_first_configured_key(
    make_client: AppMaker, database_url: str
) -> None:
    key = base64.b64encode(os.urandom(32)).decode()
    client = make_client(database_url, webhook_allow_private=True, encryption_keys=f"k7:{key}")
    host = sign_up(client, "host")
    made = client.post(
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/hook", "events": ["room.ended"]},
        headers=host.headers,
    )
    assert made.status_code == 201, made.text

    async def stored() -> str:
        async with runtime(client).resources.sessions() as session:
            return str(await session.scalar(select(Webhook.secret_encrypted)))

    assert portal(client).call(stored).split(".")[1] == "k7"


def test_development_keeps_a_generated_secret_in_the_data_dir(
    make_client: AppMaker, sqlite_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "state"
    first = make_client(sqlite_url, env="development", secret_key=None, data_dir=data_dir)
    ana = sign_up(first, "ana")
    assert (data_dir / FILE_NAME).is_file()
    # A second process with the same data directory accepts the first one's tokens.
    second = make_client(sqlite_url, env="development", secret_key=None, data_dir=data_dir)
    assert second.get("/api/v1/users/profile", headers=ana.headers).status_code == 200


@pytest.mark.redis
def test_presence_lasts_as_long_as_configured(
    make_client: AppMaker, sqlite_url: str, redis_prefix: str
) -> None:
    client = make_client(
        sqlite_url, redis_url=REDIS_URL, cache_key_prefix=redis_prefix, user_channel_presence_ttl=40
    )
    ana = sign_up(client, "ana")
    store = redis.Redis.from_url(REDIS_URL)
    try:
        with client.websocket_connect(channel_url(ana)) as channel:
            next_event(channel, "ready")
            keys = store.scan_iter(match=f"{redis_prefix}*")
            [online] = [key for key in keys if key.endswith(b"online")]
            seconds, micros = store.time()
            expires_ms = store.zscore(online, ana.user["id"])
            assert expires_ms is not None
            left = expires_ms / 1000 - (seconds + micros / 1e6)
            assert 35 < left <= 40, left  # the default would be 60
    finally:
        for key in store.scan_iter(match=f"{redis_prefix}*"):
            store.delete(key)
        store.close()


def test_the_engine_echoes_and_pools_as_configured(
    make_client: AppMaker, postgres_url: str
) -> None:
    default = make_client(postgres_url)
    tuned = make_client(postgres_url, database_echo=True, database_pool_size=3)
    assert runtime(default).resources.engine.echo is False
    assert runtime(tuned).resources.engine.echo is True
    assert runtime(default).resources.engine.pool.size() == 10  # type: ignore[attr-defined]
    assert runtime(tuned).resources.engine.pool.size() == 3  # type: ignore[attr-defined]


def test_passwords_are_hashed_with_the_configured_cost(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, bcrypt_rounds=5)
    sign_up(client, "ana")

    async def stored() -> str:
        async with runtime(client).resources.sessions() as session:
            return str(await session.scalar(select(User.password_hash)))

    assert portal(client).call(stored).startswith("$2b$05$")  # the tests' default is 4


def test_rate_limits_can_be_turned_off(make_client: AppMaker, sqlite_url: str) -> None:
    # The same budget that test_api_auth.py shows refusing the fifth request when on.
    client = make_client(sqlite_url, rate_limits_enabled=False, rate_limit_api="4/minute")
    ana = sign_up(client, "ana")
    statuses = [client.get("/api/v1/users/profile", headers=ana.headers) for _ in range(6)]
    assert [r.status_code for r in statuses] == [200] * 6


def test_a_server_without_the_sfu_has_no_media(make_client: AppMaker, sqlite_url: str) -> None:
    with_media = make_client(sqlite_url)
    without = make_client(sqlite_url, sfu_enabled=False)
    assert runtime(with_media).services.signaling.media is not None
    assert runtime(without).services.signaling.media is None
    host = sign_up(without, "host")
    room = create_room(without, host)
    assert join(without, host, room).status_code == 200  # signaling and chat still work
