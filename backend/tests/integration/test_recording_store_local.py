"""What only the local store does: hard links where it can, a synced copy where it cannot,
no URLs, and a readiness check that writes."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from rapat.recording import local_store
from rapat.recording.local_store import LocalRecordingStore
from rapat.recording.store import RecordingStoreError, StoredObject

KEY = "room-1/rec-1/composed.mp4"


async def test_a_file_on_the_same_file_system_is_linked_not_copied(tmp_path: Path) -> None:
    store = LocalRecordingStore(tmp_path / "store")
    source = tmp_path / "composed.mp4"
    source.write_bytes(b"video")
    await store.put_file(KEY, source, "video/mp4")
    stored = tmp_path / "store" / "room-1" / "rec-1" / "composed.mp4"
    assert stored.stat().st_ino == source.stat().st_ino


async def test_where_no_link_can_be_made_the_file_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cross_device(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(local_store.os, "link", cross_device)
    store = LocalRecordingStore(tmp_path / "store")
    source = tmp_path / "composed.mp4"
    source.write_bytes(b"v" * 300_000)
    assert await store.put_file(KEY, source, "video/mp4") == StoredObject(KEY, 300_000)
    stored = tmp_path / "store" / "room-1" / "rec-1" / "composed.mp4"
    assert stored.stat().st_ino != source.stat().st_ino
    assert stored.read_bytes() == source.read_bytes()
    assert sorted(path.name for path in stored.parent.iterdir()) == ["composed.mp4"]


async def test_a_failed_put_leaves_the_old_object_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalRecordingStore(tmp_path / "store")
    source = tmp_path / "composed.mp4"
    source.write_bytes(b"old")
    await store.put_file(KEY, source, "video/mp4")
    replacement = tmp_path / "new.mp4"
    replacement.write_bytes(b"new content")

    def disk_full(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(local_store.os, "replace", disk_full)
    with pytest.raises(RecordingStoreError, match="No space left"):
        await store.put_file(KEY, replacement, "video/mp4")
    folder = tmp_path / "store" / "room-1" / "rec-1"
    assert sorted(path.name for path in folder.iterdir()) == ["composed.mp4"]
    assert (folder / "composed.mp4").read_bytes() == b"old"


async def test_a_file_already_in_place_is_kept(tmp_path: Path) -> None:
    store = LocalRecordingStore(tmp_path)
    in_place = tmp_path / "room-1" / "rec-1" / "composed.mp4"
    in_place.parent.mkdir(parents=True)
    in_place.write_bytes(b"written where it belongs")
    assert await store.put_file(KEY, in_place, "video/mp4") == StoredObject(KEY, 24)
    assert in_place.read_bytes() == b"written where it belongs"
    assert sorted(path.name for path in in_place.parent.iterdir()) == ["composed.mp4"]


async def test_downloads_are_streamed_by_the_api(tmp_path: Path) -> None:
    assert await LocalRecordingStore(tmp_path).presigned_url(KEY, "a.mp4") is None


async def test_the_check_creates_the_root_and_fails_where_it_cannot_write(tmp_path: Path) -> None:
    await LocalRecordingStore(tmp_path / "new" / "root").check()
    assert (tmp_path / "new" / "root").is_dir()
    assert list((tmp_path / "new" / "root").iterdir()) == []  # the probe is gone
    blocked = tmp_path / "a-file"
    blocked.write_bytes(b"")
    with pytest.raises(RecordingStoreError, match="not writable"):
        await LocalRecordingStore(blocked).check()


async def test_a_folder_is_not_an_object(tmp_path: Path) -> None:
    store = LocalRecordingStore(tmp_path)
    source = tmp_path / "x.mp4"
    source.write_bytes(b"x")
    await store.put_file(KEY, source, "video/mp4")
    assert await store.stat("room-1/rec-1") is None
    await store.delete("room-1/rec-1")  # a folder of keys: not this key's object
    assert await store.stat(KEY) == StoredObject(KEY, 1)
    assert (tmp_path / "room-1" / "rec-1").is_dir()
