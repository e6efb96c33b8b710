"""`/readyz` checks the recording store when it is S3 (a directory needs no probe): the
real SeaweedFS server, and one that is not there."""

from __future__ import annotations

from uuid import uuid4

from tests.integration.app_fixtures import AppMaker
from tests.private_services import free_port
from tests.s3_server import S3Credentials, SeaweedS3


def _s3_settings(server: S3Credentials, **changes: object) -> dict[str, object]:
    return {
        "recording_store": "s3",
        "recording_s3_endpoint_url": server.endpoint_url,
        "recording_s3_bucket": f"rapat-ready-{uuid4().hex[:12]}",
        "recording_s3_access_key": server.access_key,
        "recording_s3_secret_key": server.secret_key,
        **changes,
    }


def test_readyz_checks_the_bucket_and_creates_it_when_allowed(
    make_client: AppMaker, sqlite_url: str, s3_server: S3Credentials
) -> None:
    settings = _s3_settings(s3_server, recording_s3_create_bucket=True)
    response = make_client(sqlite_url, **settings).get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "recording_store": "ok"}
    bucket = settings["recording_s3_bucket"]
    client = SeaweedS3.client_for(s3_server)
    assert bucket in [entry["Name"] for entry in client.list_buckets()["Buckets"]]


def test_readyz_names_a_missing_bucket(
    make_client: AppMaker, sqlite_url: str, s3_server: S3Credentials
) -> None:
    response = make_client(sqlite_url, **_s3_settings(s3_server)).get("/readyz")
    assert response.status_code == 503
    checks = response.json()["error"]["details"]["checks"]
    assert checks["database"] == "ok"
    assert "does not exist" in checks["recording_store"]


def test_readyz_names_an_unreachable_store(
    make_client: AppMaker, sqlite_url: str, s3_server: S3Credentials
) -> None:
    dead = _s3_settings(s3_server, recording_s3_endpoint_url=f"http://127.0.0.1:{free_port()}")
    response = make_client(sqlite_url, **dead).get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["details"]["checks"]["recording_store"] != "ok"
