"""The HTTP edge: error envelope, headers, limits, static app, docs."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from rapat.bus import BusUnavailableError
from rapat.domain.errors import Conflict, RateLimited
from tests.integration.app_fixtures import INDEX_HTML, AppMaker


class _Body(BaseModel):
    name: str
    size: int


def _add_probe_routes(app: FastAPI) -> None:
    async def boom() -> None:
        raise RuntimeError("database password is hunter2")

    async def disk() -> None:  # an OSError that is not the database's: still a 500
        raise OSError("No space left on device")

    async def bus_down() -> None:
        raise BusUnavailableError("redis unavailable: connection refused")

    async def echo(body: _Body) -> dict[str, Any]:
        return body.model_dump()

    async def full() -> None:
        raise Conflict("The room is full.", code="room_full", details={"max_users": 10})

    async def slow_down() -> None:
        raise RateLimited("Too many attempts.", retry_after=12.2)

    for path, endpoint, methods in [
        ("/api/v1/probe/boom", boom, ["GET"]),
        ("/api/v1/probe/disk", disk, ["GET"]),
        ("/api/v1/probe/bus", bus_down, ["GET"]),
        ("/api/v1/probe/echo", echo, ["POST"]),
        ("/api/v1/probe/full", full, ["GET"]),
        ("/api/v1/probe/slow", slow_down, ["GET"]),
    ]:
        app.router.routes.insert(0, APIRoute(path, endpoint, methods=methods))


def _assert_envelope(body: dict[str, Any], code: str) -> None:
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]


def test_unknown_api_path_is_a_json_404_for_every_method(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    for method in ("GET", "POST", "PUT", "DELETE"):
        response = client.request(method, "/api/v1/nothing-here")
        assert response.status_code == 404
        _assert_envelope(response.json(), "not_found")


def test_wrong_method_is_a_json_405(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    response = client.post("/healthz")
    assert response.status_code == 405
    _assert_envelope(response.json(), "method_not_allowed")
    response = client.post("/r/abc-defg-hij")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_validation_errors_list_the_fields(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, configure=_add_probe_routes)
    response = client.post("/api/v1/probe/echo", json={"name": "x", "size": "big"})
    assert response.status_code == 422
    body = response.json()
    _assert_envelope(body, "validation_failed")
    assert [problem["field"] for problem in body["error"]["details"]] == ["body.size"]
    response = client.post(
        "/api/v1/probe/echo", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    _assert_envelope(response.json(), "validation_failed")


def test_crash_is_a_500_envelope_without_internals(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, configure=_add_probe_routes)
    response = client.get("/api/v1/probe/boom", headers={"X-Request-ID": "crash-1"})
    assert response.status_code == 500
    _assert_envelope(response.json(), "internal_error")
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["x-request-id"] == "crash-1"
    assert response.headers["x-content-type-options"] == "nosniff"
    response = client.get("/api/v1/probe/disk")
    assert response.status_code == 500
    _assert_envelope(response.json(), "internal_error")


def test_a_dependency_that_is_down_is_a_503_to_retry(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, configure=_add_probe_routes)
    response = client.get("/api/v1/probe/bus")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {
        "error": {
            "code": "unavailable",
            "message": "The cache is unavailable right now; try again shortly.",
        }
    }


def test_domain_errors_map_to_status_and_code(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, configure=_add_probe_routes)
    response = client.get("/api/v1/probe/full")
    assert response.status_code == 409
    assert response.json() == {
        "error": {"code": "room_full", "message": "The room is full.", "details": {"max_users": 10}}
    }
    response = client.get("/api/v1/probe/slow")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "13"


def test_request_id_is_echoed_or_generated(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32
    unsafe = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"


def test_security_headers(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    for path in ("/", "/healthz", "/api/v1/missing"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert "mediastream:" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_cors_allows_only_configured_origins(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, cors_origins=("https://meet.example",))
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = client.options(
        "/api/v1/rooms", headers={"Origin": "https://meet.example", **preflight}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://meet.example"
    assert allowed.headers["access-control-allow-credentials"] == "true"
    denied = client.options(
        "/api/v1/rooms", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in denied.headers


def test_cors_credentials_can_be_turned_off(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(
        sqlite_url, cors_origins=("https://meet.example",), cors_allow_credentials=False
    )
    allowed = client.options(
        "/api/v1/rooms",
        headers={"Origin": "https://meet.example", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers["access-control-allow-origin"] == "https://meet.example"
    assert "access-control-allow-credentials" not in allowed.headers


def test_no_cors_headers_without_configuration(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    response = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_body_size_limit(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, configure=_add_probe_routes, max_body_bytes=2048)
    declared = client.post("/api/v1/probe/echo", content=b"x" * 4096)
    assert declared.status_code == 413
    _assert_envelope(declared.json(), "payload_too_large")

    def chunks() -> Any:
        for _ in range(8):
            yield b"y" * 1024

    streamed = client.post("/api/v1/probe/echo", content=chunks())
    assert streamed.status_code == 413
    small = client.post("/api/v1/probe/echo", json={"name": "ok", "size": 1})
    assert small.status_code == 200


def test_spa_serving_and_cache_headers(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    root = client.get("/")
    assert root.text == INDEX_HTML
    assert root.headers["cache-control"] == "no-cache"
    deep_link = client.get("/r/abc-defg-hij")
    assert deep_link.status_code == 200
    assert deep_link.text == INDEX_HTML
    asset = client.get("/assets/index-3f2a1b.js")
    assert asset.status_code == 200
    assert "immutable" in asset.headers["cache-control"]
    assert "max-age=31536000" in asset.headers["cache-control"]
    missing_asset = client.get("/assets/gone-000000.js")
    assert missing_asset.status_code == 404
    _assert_envelope(missing_asset.json(), "not_found")
    traversal = client.get("/assets/%2e%2e/%2e%2e/%2e%2e/pyproject.toml")
    assert "[project]" not in traversal.text
    assert client.head("/login").status_code == 200


def test_missing_frontend_build_says_how_to_build(
    make_client: AppMaker, sqlite_url: str, tmp_path: Any
) -> None:
    client = make_client(sqlite_url, frontend_dir=tmp_path / "not-built")
    response = client.get("/")
    assert response.status_code == 404
    _assert_envelope(response.json(), "frontend_not_built")
    assert client.get("/healthz").status_code == 200


def test_openapi_and_swagger_ui(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "Rapat"
    assert "/healthz" in spec["paths"]
    assert {"/healthz", "/readyz", "/metrics", "/api/v1/auth/login"} <= set(spec["paths"])
    assert not any("{path" in path for path in spec["paths"])
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/swagger/swagger-ui-bundle.js" in page.text
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    init = client.get("/docs/init.js")
    assert "/openapi.json" in init.text
    assert init.headers["content-type"].startswith("text/javascript")
