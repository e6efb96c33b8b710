"""Where finished recordings are kept: the RAPAT_RECORDING_STORE* and RAPAT_RECORDING_S3_*
settings, checked at start, and the store the composition root builds from them."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from rapat.config import ConfigError, load_settings
from rapat.observability.logging import configure_logging
from rapat.recording.local_store import LocalRecordingStore
from rapat.recording.s3_store import S3RecordingStore
from rapat.wiring.adapters import create_recording_store

S3 = {
    "RAPAT_RECORDING_STORE": "s3",
    "RAPAT_RECORDING_S3_ENDPOINT_URL": "http://seaweedfs.internal:8333/",
    "RAPAT_RECORDING_S3_BUCKET": "rapat-recordings",
    "RAPAT_RECORDING_S3_ACCESS_KEY": "rapat-access",
    "RAPAT_RECORDING_S3_SECRET_KEY": "a-secret-that-must-never-be-printed",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("RAPAT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env file


def _set(monkeypatch: pytest.MonkeyPatch, values: dict[str, str]) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_the_default_is_a_directory_beside_the_captured_tracks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RAPAT_DATA_DIR", str(tmp_path / "data"))
    store = load_settings().recording.store
    assert store.kind == "local"
    assert store.directory == tmp_path / "data" / "recording-store"
    assert store.s3 is None
    built = create_recording_store(store)
    assert isinstance(built, LocalRecordingStore)
    assert built.root == tmp_path / "data" / "recording-store"


def test_the_directory_can_be_chosen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RAPAT_RECORDING_STORE_DIR", str(tmp_path / "elsewhere"))
    built = create_recording_store(load_settings().recording.store)
    assert isinstance(built, LocalRecordingStore)
    assert built.root == tmp_path / "elsewhere"


def test_s3_settings_reach_the_section(monkeypatch: pytest.MonkeyPatch) -> None:
    _set(monkeypatch, S3 | {"RAPAT_RECORDING_S3_REGION": "garage"})
    store = load_settings().recording.store
    assert store.kind == "s3"
    assert store.s3 is not None
    assert store.s3.endpoint_url == "http://seaweedfs.internal:8333"
    assert store.s3.bucket == "rapat-recordings"
    assert store.s3.region == "garage"
    assert store.s3.access_key == "rapat-access"
    assert store.s3.secret_key == "a-secret-that-must-never-be-printed"
    assert store.s3.public_url is None
    assert store.s3.create_bucket is False
    assert (store.presigned_downloads, store.presign_seconds) == (True, 300)


@pytest.mark.parametrize(
    "missing", ["RAPAT_RECORDING_S3_ENDPOINT_URL", "RAPAT_RECORDING_S3_BUCKET"]
)
def test_s3_without_an_endpoint_or_a_bucket_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    _set(monkeypatch, {name: value for name, value in S3.items() if name != missing})
    with pytest.raises(ConfigError, match=missing):
        load_settings()
    monkeypatch.setenv(missing, "")  # empty counts as unset
    with pytest.raises(ConfigError, match=missing):
        load_settings()


def test_a_key_without_its_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _set(monkeypatch, {k: v for k, v in S3.items() if k != "RAPAT_RECORDING_S3_SECRET_KEY"})
    with pytest.raises(ConfigError, match="RAPAT_RECORDING_S3_SECRET_KEY"):
        load_settings()


def test_no_keys_at_all_leave_credentials_to_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    _set(monkeypatch, {k: v for k, v in S3.items() if "_KEY" not in k})
    s3 = load_settings().recording.store.s3
    assert s3 is not None
    assert (s3.access_key, s3.secret_key) == (None, None)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RAPAT_RECORDING_STORE", "ftp"),
        ("RAPAT_RECORDING_S3_BUCKET", "Not_A_Bucket"),
        ("RAPAT_RECORDING_S3_BUCKET", "ab"),
        ("RAPAT_RECORDING_S3_ENDPOINT_URL", "seaweedfs:8333"),
        ("RAPAT_RECORDING_S3_REGION", "us east"),
        ("RAPAT_RECORDING_PRESIGN_SECONDS", "5"),
        ("RAPAT_RECORDING_PRESIGN_SECONDS", "604801"),
    ],
)
def test_invalid_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    _set(monkeypatch, S3 | {variable: value})
    with pytest.raises(ConfigError, match=variable):
        load_settings()


def test_the_secret_key_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    _set(monkeypatch, S3)
    settings = load_settings()
    for shown in (repr(settings), str(settings), repr(settings.recording)):
        assert "a-secret-that-must-never-be-printed" not in shown


async def test_the_s3_store_signs_urls_as_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing needs no server: the URL shows the address, bucket, lifetime and key id."""
    _set(
        monkeypatch,
        S3
        | {
            "RAPAT_RECORDING_S3_PUBLIC_URL": "https://media.example.com",
            "RAPAT_RECORDING_PRESIGN_SECONDS": "120",
        },
    )
    store = create_recording_store(load_settings().recording.store)
    assert isinstance(store, S3RecordingStore)
    url = await store.presigned_url("room/rec/composed.mp4", "Meeting.mp4")
    await store.close()
    assert url is not None
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    assert (parts.scheme, parts.netloc) == ("https", "media.example.com")
    assert parts.path == "/rapat-recordings/room/rec/composed.mp4"  # path-style
    assert query["X-Amz-Expires"] == "120"
    assert query["X-Amz-Credential"].startswith("rapat-access/")
    assert "/us-east-1/s3/" in query["X-Amz-Credential"]
    assert query["response-content-disposition"].startswith('attachment; filename="Meeting.mp4"')


async def test_presigned_downloads_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    _set(monkeypatch, S3 | {"RAPAT_RECORDING_PRESIGNED_DOWNLOADS": "false"})
    store = create_recording_store(load_settings().recording.store)
    assert await store.presigned_url("room/rec/composed.mp4") is None
    await store.close()


@pytest.mark.parametrize(
    ("level", "botocore_level"), [("DEBUG", "INFO"), ("INFO", "INFO"), ("WARNING", "WARNING")]
)
def test_botocore_never_logs_request_bodies(level: str, botocore_level: str) -> None:
    """At DEBUG, botocore would log every uploaded part whole (and each request's headers)."""
    configure_logging(level, "json", stream=io.StringIO())
    try:
        for name in ("botocore", "aiobotocore", "botocore.endpoint"):
            effective = logging.getLogger(name).getEffectiveLevel()
            assert logging.getLevelName(effective) == botocore_level
    finally:
        configure_logging("INFO", "json")
