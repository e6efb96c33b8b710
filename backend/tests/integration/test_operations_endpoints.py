"""Probes and metrics against the real databases and Redis."""

from __future__ import annotations

import re

from tests.conftest import REDIS_URL
from tests.integration.app_fixtures import AppMaker


def test_healthz(make_client: AppMaker, sqlite_url: str) -> None:
    response = make_client(sqlite_url).get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_readyz_on_both_databases(make_client: AppMaker, database_url: str) -> None:
    response = make_client(database_url).get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_with_real_redis(make_client: AppMaker, postgres_url: str) -> None:
    response = make_client(postgres_url, redis_url=REDIS_URL).get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"]["cache"] == "ok"


def test_readyz_names_an_unreachable_redis(make_client: AppMaker, sqlite_url: str) -> None:
    response = make_client(sqlite_url, redis_url="redis://127.0.0.1:1/0").get("/readyz")
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "not_ready"
    assert "cache" in error["message"]
    assert error["details"]["checks"]["database"] == "ok"
    assert error["details"]["checks"]["cache"] != "ok"


def test_readyz_names_an_unmigrated_database(make_client: AppMaker, database_url: str) -> None:
    response = make_client(database_url, migrate_first=False).get("/readyz")
    assert response.status_code == 503
    checks = response.json()["error"]["details"]["checks"]
    assert "rapat migrate upgrade" in checks["database"]


def test_readyz_names_an_unreachable_database(make_client: AppMaker) -> None:
    client = make_client("postgresql+asyncpg://postgres@127.0.0.1:1/none", migrate_first=False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["details"]["checks"]["database"] != "ok"


def test_metrics_count_requests_by_route_template(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    for _ in range(3):
        client.get("/healthz")
    client.get("/api/v1/missing/12345")
    client.get("/r/abc-defg-hij")
    text = client.get("/metrics").text
    assert re.search(
        r'rapat_http_requests_total\{method="GET",route="/healthz",status="200"\} 3\.0', text
    )
    assert 'route="<unmatched>",status="404"' in text
    assert "12345" not in text  # raw paths never become labels
    assert "rapat_http_request_duration_seconds_bucket" in text
    assert "rapat_http_requests_in_flight" in text
    assert "process_resident_memory_bytes" in text
