"""PostgreSQL restarts under a running app: requests during the outage get 503 with
Retry-After in the one error schema (never 500), and the app recovers by itself.

The cluster is the test's own (initdb in a temporary directory, a free port): stopping it
touches nobody else's database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from starlette.websockets import WebSocketDisconnect

from tests.integration.accounts_helpers import PASSWORD, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.private_services import PrivatePostgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def cluster() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


def _assert_unavailable(response: Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"
    assert response.json() == {
        "error": {
            "code": "unavailable",
            "message": "The database is unavailable right now; try again shortly.",
        }
    }


def _profile(client: TestClient, headers: dict[str, str]) -> int:
    return client.get("/api/v1/users/profile", headers=headers).status_code


def test_a_database_restart_gives_503_then_recovers_without_a_restart(
    make_client: AppMaker, cluster: PrivatePostgres
) -> None:
    url = cluster.dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    client = make_client(url, database_pool_size=3)
    ana = sign_up(client, "ana")
    # Several requests at once fill the pool with connections that the restart kills.
    for _ in range(5):
        assert _profile(client, ana.headers) == 200
    assert client.get("/readyz").status_code == 200

    cluster.stop("fast")  # every session ended, the server gone
    for request in (
        lambda: client.get("/api/v1/users/profile", headers=ana.headers),
        lambda: client.get("/api/v1/rooms", headers=ana.headers),
        lambda: client.post("/api/v1/auth/login", json={"email": ana.email, "password": PASSWORD}),
    ):
        _assert_unavailable(request())
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["error"]["details"]["checks"]["database"] != "ok"
    assert client.get("/healthz").status_code == 200  # the process itself is fine
    # A WebSocket that cannot be admitted is closed with 1013 (try again later), not 1011.
    with (
        client.websocket_connect(f"/ws/user?token={ana.access_token}") as socket,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        socket.receive_json()
    assert closed.value.code == 1013

    cluster.start()
    # The same app, not restarted: the pool replaces its dead connections.
    for _ in range(5):
        assert _profile(client, ana.headers) == 200
    assert client.get("/readyz").status_code == 200
    bob = sign_up(client, "bob")  # writes work too
    assert _profile(client, bob.headers) == 200
