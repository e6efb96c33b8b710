"""The rate limit dependency on a tiny app: headers, the 429 envelope, who is counted,
and two app instances (two nodes) sharing one count through Redis.

Client addresses come as in production: the app sits behind a trusted proxy (the test
client's address) and uvicorn's proxy-headers middleware resolves X-Forwarded-For.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest
import redis.asyncio as redis
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from rapat.api.errors import install_error_handlers
from rapat.api.rate_limit import rate_limit
from rapat.ratelimit import RateLimiter
from tests.conftest import REDIS_URL

PROXY = "10.0.0.2"
HOME = {"X-Forwarded-For": "203.0.113.9"}
CAFE = {"X-Forwarded-For": "198.51.100.7"}


async def _fake_user(request: Request) -> None:
    # Stands in for the authentication dependency, which sets request.state.user_id.
    if user := request.headers.get("X-Test-User"):
        request.state.user_id = user


def make_app(
    storage_url: str | None = None, key_prefix: str = "rapat-test:", *, enabled: bool = True
) -> FastAPI:
    """What the product's lifespan does: one limiter per app, closed at shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        limiter = RateLimiter(storage_url, key_prefix=key_prefix, enabled=enabled)
        app.state.rate_limiter = limiter
        yield
        await limiter.close()

    app = FastAPI(lifespan=lifespan)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=[PROXY])
    install_error_handlers(app)

    @app.post("/login", dependencies=[Depends(rate_limit("auth.login", "2/minute", by="ip"))])
    async def login() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/me",
        dependencies=[Depends(_fake_user), Depends(rate_limit("api", "2/minute", by="user"))],
    )
    async def me() -> dict[str, str]:
        return {"status": "ok"}

    return app


@pytest.fixture
def clients() -> Iterator[list[TestClient]]:
    started: list[TestClient] = []
    yield started
    for client in started:
        client.__exit__(None, None, None)


def start(clients: list[TestClient], app: FastAPI, address: str = PROXY) -> TestClient:
    client = TestClient(app, client=(address, 5000))
    client.__enter__()
    clients.append(client)
    return client


def test_a_limited_route_says_where_the_caller_stands(clients: list[TestClient]) -> None:
    client = start(clients, make_app())
    first, second = client.post("/login"), client.post("/login")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert [r.headers["X-RateLimit-Remaining"] for r in (first, second)] == ["1", "0"]
    assert 55 <= int(first.headers["X-RateLimit-Reset"]) <= 60


def test_past_the_limit_the_answer_is_429_in_the_envelope(clients: list[TestClient]) -> None:
    client = start(clients, make_app())
    client.post("/login")
    client.post("/login")
    refused = client.post("/login")
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["message"].startswith("Too many requests; try again in ")
    assert error["details"] == {"limit": 2, "scope": "auth.login"}
    assert 55 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-RateLimit-Limit"] == "2"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["X-RateLimit-Reset"] == refused.headers["Retry-After"]


def test_each_client_address_has_its_own_count(clients: list[TestClient]) -> None:
    client = start(clients, make_app())
    for _ in range(2):
        client.post("/login", headers=HOME)
    assert client.post("/login", headers=HOME).status_code == 429
    assert client.post("/login", headers=CAFE).status_code == 200


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(
    clients: list[TestClient],
) -> None:
    client = start(clients, make_app(), address="192.0.2.50")
    for _ in range(2):
        client.post("/login", headers=HOME)
    # Claiming another address does not buy a fresh count: the peer's own one is used.
    assert client.post("/login", headers=CAFE).status_code == 429


def test_a_signed_in_user_is_counted_wherever_they_are(clients: list[TestClient]) -> None:
    client = start(clients, make_app())
    alice, bob = {"X-Test-User": "alice"}, {"X-Test-User": "bob"}
    assert client.get("/me", headers=HOME | alice).status_code == 200
    assert client.get("/me", headers=CAFE | alice).status_code == 200
    assert client.get("/me", headers=HOME | alice).status_code == 429
    assert client.get("/me", headers=HOME | bob).status_code == 200
    # Nobody signed in: counted by address, apart from the users.
    assert client.get("/me", headers=HOME).headers["X-RateLimit-Remaining"] == "1"


def test_disabled_limits_never_refuse(clients: list[TestClient]) -> None:
    client = start(clients, make_app(enabled=False))
    responses = [client.post("/login") for _ in range(5)]
    assert {r.status_code for r in responses} == {200}
    assert {r.headers["X-RateLimit-Remaining"] for r in responses} == {"2"}


def test_an_app_without_a_limiter_fails_loudly() -> None:
    app = FastAPI()

    @app.get("/unwired", dependencies=[Depends(rate_limit("api", "2/minute"))])
    async def unwired() -> None:
        return None

    with pytest.raises(RuntimeError, match="rate_limiter is not set"):
        TestClient(app).get("/unwired")


@pytest.mark.redis
def test_two_nodes_on_one_redis_share_the_count(
    clients: list[TestClient], redis_client: redis.Redis, redis_prefix: str
) -> None:
    # redis_client is requested for its teardown: it deletes every key under the prefix.
    node_a = start(clients, make_app(REDIS_URL, redis_prefix))
    node_b = start(clients, make_app(REDIS_URL, redis_prefix))
    assert node_a.post("/login").headers["X-RateLimit-Remaining"] == "1"
    assert node_b.post("/login").headers["X-RateLimit-Remaining"] == "0"
    refused = node_a.post("/login")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
