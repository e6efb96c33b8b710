"""Webhooks against a real receiver on loopback: signatures, retries with backoff,
every attempt visible through the API, and a room's events delivered in order."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from rapat.services.webhook_signing import verify
from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room, join
from tests.waiting import wait_until_sync

SECRET = "receiver-secret-0123456789"


class Receiver:
    """Answers 500 to the first ``failures`` requests, then 200; keeps what it was sent."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[tuple[dict[str, str], bytes, int]] = []
        self.lock = threading.Lock()

    def delivered(self) -> list[tuple[dict[str, str], bytes]]:
        with self.lock:
            return [(headers, body) for headers, body, status in self.calls if status == 200]


@pytest.fixture
def receiver() -> Iterator[tuple[str, Receiver]]:
    state = Receiver(failures=2)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                status = 500 if len(state.calls) < state.failures else 200
                state.calls.append((dict(self.headers.items()), body, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", state
    server.shutdown()
    server.server_close()


def _until(condition: Any, state: Receiver | None = None, timeout: float = 20.0) -> None:
    def seen() -> str:
        calls = [(h.get("X-Rapat-Event"), status) for h, _, status in state.calls] if state else []
        return f"the webhook deliveries; receiver saw {calls}"

    wait_until_sync(condition, timeout, seen, interval=0.05)


def test_events_are_signed_retried_and_ordered_per_room(
    make_client: AppMaker, database_url: str, receiver: tuple[str, Receiver]
) -> None:
    url, state = receiver
    client = make_client(
        database_url,
        webhook_allow_private=True,
        job_retry_base_delay=0.2,
        job_retry_max_delay=0.4,
        job_max_attempts=4,
    )
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    created = client.post(
        "/api/v1/webhooks",
        json={
            "url": url,
            "events": [
                "room.created",
                "room.started",
                "room.ended",
                "participant.joined",
                "participant.left",
            ],
            "secret": SECRET,
        },
        headers=host.headers,
    )
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"] == SECRET
    assert "secret" not in client.get(f"/api/v1/webhooks/{hook['id']}", headers=host.headers).json()

    room = create_room(client, host, name="Launch")
    assert join(client, guest, room).status_code == 200
    assert client.post(f"/api/v1/rooms/{room['id']}/leave", headers=guest.headers).is_success
    assert client.post(f"/api/v1/rooms/{room['id']}/end", headers=host.headers).is_success
    expected = [
        "room.created",
        "room.started",
        "participant.joined",
        "participant.left",
        "room.ended",
    ]
    _until(lambda: len(state.delivered()) == len(expected), state)

    events = []
    for headers, body in state.delivered():
        assert verify(SECRET, headers["X-Rapat-Signature"], body, now=int(time.time()))
        assert not verify(
            "another-secret-000000", headers["X-Rapat-Signature"], body, now=int(time.time())
        )
        events.append(headers["X-Rapat-Event"])
    assert events == expected  # in order, although the first one needed three tries

    # The receiver answers before the worker records the delivery: wait for the record.
    def deliveries() -> dict[str, Any]:
        path = f"/api/v1/webhooks/{hook['id']}/deliveries"
        page: dict[str, Any] = client.get(path, headers=host.headers).json()
        return page

    _until(lambda: all(item["status"] == "delivered" for item in deliveries()["items"]), state)
    page = deliveries()
    assert page["total"] == 5
    by_event = {item["event"]: item for item in page["items"]}
    first = by_event["room.created"]
    assert [a["status_code"] for a in first["attempts"]] == [500, 500, 200]
    assert first["attempts"][0]["error"] == "HTTP 500"
    assert first["payload"]["room"]["id"] == room["id"]
    assert by_event["participant.joined"]["payload"]["data"]["user_id"] == guest.user["id"]
    assert [len(by_event[e]["attempts"]) for e in expected[1:]] == [1, 1, 1, 1]


def test_a_delivery_that_keeps_failing_is_marked_failed(
    make_client: AppMaker, sqlite_url: str, receiver: tuple[str, Receiver]
) -> None:
    url, state = receiver
    state.failures = 100
    client = make_client(
        sqlite_url,
        webhook_allow_private=True,
        job_retry_base_delay=0.1,
        job_retry_max_delay=0.2,
        job_max_attempts=3,
    )
    host = sign_up(client, "host")
    room = create_room(client, host)
    hook = client.post(
        "/api/v1/webhooks",
        json={"url": url, "events": ["room.ended"], "room_id": room["id"]},
        headers=host.headers,
    ).json()
    assert len(hook["secret"]) >= 32  # generated
    client.post(f"/api/v1/rooms/{room['id']}/end", headers=host.headers)

    def status() -> str:
        page = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=host.headers)
        return str(page.json()["items"][0]["status"]) if page.json()["items"] else "none"

    _until(lambda: status() == "failed")
    item = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=host.headers).json()
    assert len(item["items"][0]["attempts"]) == 3
    assert len(state.calls) == 3


def test_webhook_registration_is_checked(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, webhook_allow_private=False)
    host, other = sign_up(client, "host"), sign_up(client, "other")
    room = create_room(client, host)

    def register(who: Any, **body: Any) -> Any:
        return client.post(
            "/api/v1/webhooks", json={"events": ["room.ended"], **body}, headers=who.headers
        )

    private = register(host, url="http://127.0.0.1:9/hook")
    assert (private.status_code, private.json()["error"]["code"]) == (
        400,
        "private_webhook_target",
    )
    for bad in ("ftp://example.com/x", "/relative", "http://user:pw@example.com/"):
        refused = register(host, url=bad)
        assert (refused.status_code, refused.json()["error"]["code"]) == (400, "invalid_url"), bad
    unknown = register(host, url="https://example.com/h", events=["room.exploded"])
    assert unknown.status_code == 422
    weak = register(host, url="https://example.com/h", secret="short")
    assert weak.status_code == 422
    not_host = register(other, url="http://127.0.0.1/h", room_id=room["id"])
    assert not_host.status_code in (400, 403)
    missing = client.get(
        "/api/v1/webhooks/00000000-0000-4000-8000-000000000000", headers=host.headers
    )
    assert missing.status_code == 404
