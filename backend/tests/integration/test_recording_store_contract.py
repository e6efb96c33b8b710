"""One contract for every RecordingStore: the local directory, and S3 against a real
SeaweedFS server (tests/s3_server.py). Each test gets an empty store: its own directory,
or its own bucket."""

from __future__ import annotations

import asyncio
import os
import random
import tracemalloc
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from uuid import uuid4

import pytest

from rapat.recording.local_store import LocalRecordingStore
from rapat.recording.s3_store import MIB, S3Options, S3RecordingStore
from rapat.recording.store import (
    InvalidKey,
    ObjectMissing,
    RecordingStore,
    StoredObject,
)
from tests.s3_server import S3Credentials

CHUNK = 64 * 1024
KEY = "room-1/rec-1/composed.mp4"


def _s3_options(server: S3Credentials, **changes: object) -> S3Options:
    values: dict[str, object] = {
        "endpoint_url": server.endpoint_url,
        "bucket": f"rapat-test-{uuid4().hex[:16]}",
        "region": server.region,
        "access_key": server.access_key,
        "secret_key": server.secret_key,
        "create_bucket": True,
        "part_size": 5 * MIB,
        "chunk_size": CHUNK,
        "delete_batch": 10,  # so a few keys span several listing pages
        "connect_timeout": 1.0,
        "read_timeout": 10.0,
    }
    values.update(changes)
    return S3Options(**values)  # type: ignore[arg-type]


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[RecordingStore]:
    made: RecordingStore
    if request.param == "local":
        made = LocalRecordingStore(tmp_path / "store", chunk_size=CHUNK)
    else:
        made = S3RecordingStore(_s3_options(request.getfixturevalue("s3_server")))
    await made.check()
    yield made
    await made.close()


def _payload(size: int, seed: int = 0) -> bytes:
    """Random bytes (from a seed), so a read from the wrong offset shows."""
    return random.Random(seed).randbytes(size)


def _file(tmp_path: Path, data: bytes, name: str = "source.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


async def _read(store: RecordingStore, key: str, start: int, end: int) -> list[bytes]:
    return [chunk async for chunk in store.read_range(key, start, end)]


async def test_a_put_file_is_stored_whole_and_the_source_is_left(
    store: RecordingStore, tmp_path: Path
) -> None:
    data = _payload(300_000)
    source = _file(tmp_path, data)
    assert await store.stat(KEY) is None
    assert await store.put_file(KEY, source, "video/mp4") == StoredObject(KEY, len(data))
    assert await store.stat(KEY) == StoredObject(KEY, len(data))
    assert source.read_bytes() == data
    source.unlink()  # the caller's temporary file goes; the stored object stays
    assert b"".join(await _read(store, KEY, 0, len(data) - 1)) == data


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (0, 0),  # the first byte
        (1000, 200_999),  # the middle, across chunks
        (299_999, 299_999),  # the last byte
        (0, 299_999),  # the whole object
        (CHUNK - 1, CHUNK),  # across a chunk boundary
    ],
)
async def test_a_range_reads_exactly_those_bytes_in_bounded_chunks(
    store: RecordingStore, tmp_path: Path, start: int, end: int
) -> None:
    data = _payload(300_000)
    await store.put_file(KEY, _file(tmp_path, data), "video/mp4")
    chunks = await _read(store, KEY, start, end)
    assert b"".join(chunks) == data[start : end + 1]
    assert all(0 < len(chunk) <= CHUNK for chunk in chunks)


async def test_a_range_past_the_end_is_cut_and_one_beyond_it_is_empty(
    store: RecordingStore, tmp_path: Path
) -> None:
    data = _payload(1000)
    await store.put_file(KEY, _file(tmp_path, data), "video/mp4")
    assert b"".join(await _read(store, KEY, 900, 5000)) == data[900:]
    assert await _read(store, KEY, 1000, 2000) == []


async def test_an_empty_file_is_stored(store: RecordingStore, tmp_path: Path) -> None:
    assert await store.put_file(KEY, _file(tmp_path, b""), "video/mp4") == StoredObject(KEY, 0)
    assert await store.stat(KEY) == StoredObject(KEY, 0)


async def test_reading_a_missing_object_raises_object_missing(store: RecordingStore) -> None:
    with pytest.raises(ObjectMissing) as raised:
        await _read(store, "room-1/rec-1/nothing.mp4", 0, 10)
    assert raised.value.key == "room-1/rec-1/nothing.mp4"


async def test_a_put_replaces_the_object(store: RecordingStore, tmp_path: Path) -> None:
    await store.put_file(KEY, _file(tmp_path, _payload(5000, seed=1), "a"), "video/mp4")
    newer = _payload(3000, seed=2)
    await store.put_file(KEY, _file(tmp_path, newer, "b"), "video/mp4")
    assert await store.stat(KEY) == StoredObject(KEY, 3000)
    assert b"".join(await _read(store, KEY, 0, 2999)) == newer


async def test_delete_removes_one_object_and_a_missing_one_is_fine(
    store: RecordingStore, tmp_path: Path
) -> None:
    source = _file(tmp_path, b"x" * 10)
    await store.put_file(KEY, source, "video/mp4")
    await store.put_file("room-1/rec-1/other.mp4", source, "video/mp4")
    await store.delete(KEY)
    assert await store.stat(KEY) is None
    assert await store.stat("room-1/rec-1/other.mp4") == StoredObject("room-1/rec-1/other.mp4", 10)
    await store.delete(KEY)  # again: nothing there, no error


async def test_delete_prefix_removes_whole_segments_only(
    store: RecordingStore, tmp_path: Path
) -> None:
    source = _file(tmp_path, b"y" * 7)
    inside = ["room-1/rec-1/composed.mp4", "room-1/rec-1/raw/a.webm", "room-1/rec-1/raw/b.webm"]
    outside = ["room-1/rec-10/composed.mp4", "room-1/rec-2/composed.mp4", "room-1/rec-1.mp4"]
    for key in inside + outside:
        await store.put_file(key, source, "video/webm")
    assert await store.delete_prefix("room-1/rec-1") == 3
    for key in inside:
        assert await store.stat(key) is None
    for key in outside:
        assert await store.stat(key) == StoredObject(key, 7)
    assert await store.delete_prefix("room-1/rec-1") == 0
    assert await store.delete_prefix("room-9") == 0


async def test_delete_prefix_goes_past_one_listing_page(
    store: RecordingStore, tmp_path: Path
) -> None:
    source = _file(tmp_path, b"z")
    keys = [f"room-2/rec/raw/{number:04}.webm" for number in range(25)]  # pages of 10 on S3
    await asyncio.gather(*(store.put_file(key, source, "video/webm") for key in keys))
    assert await store.delete_prefix("room-2/rec") == 25
    for key in keys:
        assert await store.stat(key) is None


@pytest.mark.parametrize("bad", ["../escape.mp4", "/etc/passwd", "a/../../b", "a\x00b", "a//b"])
async def test_every_operation_refuses_a_malformed_key(
    store: RecordingStore, tmp_path: Path, bad: str
) -> None:
    source = _file(tmp_path, b"data")
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: store.put_file(bad, source, "video/mp4"),
        lambda: store.stat(bad),
        lambda: _read(store, bad, 0, 1),
        lambda: store.delete(bad),
        lambda: store.delete_prefix(bad),
        lambda: store.presigned_url(bad),
    ]
    for call in calls:
        with pytest.raises(InvalidKey):
            await call()
    assert not (tmp_path.parent / "escape.mp4").exists()


async def test_a_large_file_is_stored_with_bounded_memory(
    store: RecordingStore, tmp_path: Path
) -> None:
    size = 21 * MIB + 123  # five 5 MiB parts for S3, the last one short
    source = tmp_path / "large.bin"
    with source.open("wb") as file:
        for index in range(size // MIB + 1):
            file.write(_payload(min(MIB, size - index * MIB), seed=index))
    tracemalloc.start()
    try:
        stored = await store.put_file(KEY, source, "video/mp4")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored == StoredObject(KEY, size)
    assert peak < 12 * MIB, f"put_file held {peak / MIB:.1f} MiB for a {size / MIB:.0f} MiB file"
    expected = source.read_bytes()
    for start in (0, 5 * MIB - 1, 10 * MIB - 2, size - 200):  # around the parts' boundaries
        got = b"".join(await _read(store, KEY, start, start + 199))
        assert got == expected[start : start + 200]


async def test_the_store_is_ready(store: RecordingStore) -> None:
    await store.check()


async def test_the_local_store_leaves_nothing_but_the_objects(tmp_path: Path) -> None:
    """No temporary file stays beside a stored one; deletes leave no empty folders."""
    root = tmp_path / "root"
    store = LocalRecordingStore(root)
    await store.put_file(KEY, _file(tmp_path, b"abc"), "video/mp4")
    await store.put_file(KEY, _file(tmp_path, b"abcd"), "video/mp4")
    files = sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
    assert files == [os.path.join("room-1", "rec-1", "composed.mp4")]
    await store.delete(KEY)
    assert list(root.iterdir()) == []
