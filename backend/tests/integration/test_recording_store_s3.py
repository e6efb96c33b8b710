"""What only the S3 store does, against the real SeaweedFS server: presigned download URLs
a browser follows (bytes, download name, seeking; expired or forged ones refused), the
credentials and the bucket checked, multipart uploads, a store that cannot be reached."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from uuid import uuid4

import httpx2 as httpx
import pytest

from rapat.recording.s3_store import MIB, S3Options, S3RecordingStore
from rapat.recording.store import RecordingStoreError, StoredObject
from tests.private_services import free_port
from tests.s3_server import S3Credentials

KEY = "room-1/rec-1/composed.mp4"
DATA = random.Random(7).randbytes(100_000)


def _options(server: S3Credentials, **changes: object) -> S3Options:
    values: dict[str, object] = {
        "endpoint_url": server.endpoint_url,
        "bucket": f"rapat-test-{uuid4().hex[:16]}",
        "region": server.region,
        "access_key": server.access_key,
        "secret_key": server.secret_key,
        "create_bucket": True,
        "part_size": 5 * MIB,
        "connect_timeout": 1.0,
        "read_timeout": 10.0,
    }
    values.update(changes)
    return S3Options(**values)  # type: ignore[arg-type]


@pytest.fixture
async def store(s3_server: S3Credentials, tmp_path: Path) -> AsyncIterator[S3RecordingStore]:
    made = S3RecordingStore(_options(s3_server))
    source = tmp_path / "composed.mp4"
    source.write_bytes(DATA)
    await made.put_file(KEY, source, "video/mp4")
    yield made
    await made.close()


async def test_a_presigned_url_serves_the_object_under_the_download_name(
    store: S3RecordingStore,
) -> None:
    url = await store.presigned_url(KEY, "Réunion 7 décembre.mp4", expires_in=60)
    assert url is not None
    async with httpx.AsyncClient() as client:
        whole = await client.get(url)
        seek = await client.get(url, headers={"Range": "bytes=50000-50099"})
    assert whole.status_code == 200
    assert whole.content == DATA
    assert whole.headers["content-type"] == "video/mp4"
    disposition = whole.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="R_union 7 d_cembre.mp4"')
    assert "filename*=UTF-8''R%C3%A9union%207%20d%C3%A9cembre.mp4" in disposition
    # The browser's player seeks with ranges on the same URL.
    assert seek.status_code == 206
    assert seek.content == DATA[50000:50100]
    assert seek.headers["content-range"] == f"bytes 50000-50099/{len(DATA)}"


async def test_a_presigned_url_without_a_name_uses_the_configured_lifetime(
    store: S3RecordingStore,
) -> None:
    url = await store.presigned_url(KEY)
    assert url is not None
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["X-Amz-Expires"] == "300"
    assert "response-content-disposition" not in query
    async with httpx.AsyncClient() as client:
        answer = await client.get(url)
    assert answer.status_code == 200
    assert "content-disposition" not in answer.headers


async def test_a_forged_or_altered_url_is_refused(store: S3RecordingStore) -> None:
    url = await store.presigned_url(KEY, "a.mp4", expires_in=60)
    assert url is not None
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    forged_signature = {**query, "X-Amz-Signature": "0" * 64}
    other_key = parts._replace(path=parts.path.replace("composed.mp4", "other.mp4"))
    longer = {**query, "X-Amz-Expires": "604800"}
    async with httpx.AsyncClient() as client:
        for attempt in (
            urlunsplit(parts._replace(query=urlencode(forged_signature))),
            urlunsplit(other_key),
            urlunsplit(parts._replace(query=urlencode(longer))),
        ):
            answer = await client.get(attempt)
            assert answer.status_code == 403, attempt
            assert answer.content != DATA


async def test_an_expired_url_is_refused(store: S3RecordingStore) -> None:
    url = await store.presigned_url(KEY, expires_in=1)
    assert url is not None
    await asyncio.sleep(2.1)  # SigV4 counts whole seconds from X-Amz-Date
    async with httpx.AsyncClient() as client:
        answer = await client.get(url)
    assert answer.status_code == 403
    assert b"expired" in answer.content.lower()


async def test_presigning_off_leaves_downloads_to_the_api(
    s3_server: S3Credentials,
) -> None:
    store = S3RecordingStore(_options(s3_server, presign=False))
    assert await store.presigned_url(KEY, "a.mp4") is None
    await store.close()


async def test_urls_are_signed_for_the_public_address_when_one_is_set(
    s3_server: S3Credentials,
) -> None:
    store = S3RecordingStore(_options(s3_server, public_endpoint_url="https://media.example"))
    url = await store.presigned_url(KEY)
    assert url is not None
    assert url.startswith(f"https://media.example/{store.bucket}/{KEY}?")
    await store.close()


async def test_a_large_file_goes_up_in_parts(
    store: S3RecordingStore, s3_server: S3Credentials, tmp_path: Path
) -> None:
    data = random.Random(3).randbytes(11 * MIB)
    source = tmp_path / "large.mp4"
    source.write_bytes(data)
    assert await store.put_file("room-1/rec-1/large.mp4", source, "video/mp4") == StoredObject(
        "room-1/rec-1/large.mp4", len(data)
    )
    url = await store.presigned_url("room-1/rec-1/large.mp4")
    assert url is not None
    async with httpx.AsyncClient() as client:
        answer = await client.get(url)
    assert answer.content == data
    assert answer.headers["content-type"] == "video/mp4"
    # A multipart object's ETag ends in the number of its parts: 5 + 5 + 1 MiB.
    assert answer.headers["etag"].strip('"').endswith("-3")


async def test_wrong_credentials_fail_the_check(s3_server: S3Credentials) -> None:
    store = S3RecordingStore(_options(s3_server, secret_key="not-the-secret"))
    with pytest.raises(RecordingStoreError, match=r"SignatureDoesNotMatch|AccessDenied|403"):
        await store.check()
    await store.close()


async def test_a_missing_bucket_fails_the_check_unless_it_may_be_created(
    s3_server: S3Credentials,
) -> None:
    options = _options(s3_server, create_bucket=False)
    store = S3RecordingStore(options)
    with pytest.raises(RecordingStoreError, match=f"bucket '{options.bucket}' does not exist"):
        await store.check()
    creating = S3RecordingStore(_options(s3_server, bucket=options.bucket))
    await creating.check()
    await creating.check()  # there now: nothing to do
    await creating.close()
    await store.check()  # the first store sees it too
    await store.close()
    with pytest.raises(RecordingStoreError, match="closed"):
        await store.check()


async def test_an_unreachable_store_fails_with_a_store_error(
    s3_server: S3Credentials, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    store = S3RecordingStore(_options(s3_server, endpoint_url=dead, max_attempts=1))
    with pytest.raises(RecordingStoreError, match="could not reach bucket"):
        await store.check()
    source = tmp_path / "a.mp4"
    source.write_bytes(b"abc")
    with pytest.raises(RecordingStoreError, match="could not"):
        await store.put_file(KEY, source, "video/mp4")
    with pytest.raises(RecordingStoreError, match="could not read"):
        await store.stat(KEY)
    await store.close()
