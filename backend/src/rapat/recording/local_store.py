"""`LocalRecordingStore`: finished recordings as files under one directory, a key being the
path below it. The embedded default; downloads are streamed by the API (no URLs).

A file is put in place whole: hard-linked (same file system, no copy) or copied to a hidden
temporary name beside the target, then renamed over it. File-system calls run in threads,
so the event loop never waits on the disk; reads go in bounded chunks.
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from rapat.recording.store import (
    ObjectMissing,
    RecordingStoreError,
    StoredObject,
    check_key,
    check_range,
)

DEFAULT_CHUNK_SIZE = 256 * 1024
# Why a hard link cannot be made, so a copy is: another file system, or one without links.
_NO_LINK = frozenset({errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EACCES})


class LocalRecordingStore:
    def __init__(self, root: Path, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        if chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        self._root = root
        self._chunk_size = chunk_size

    @property
    def root(self) -> Path:
        return self._root

    async def put_file(self, key: str, source: Path, content_type: str) -> StoredObject:
        target = self._path(key)
        try:
            size = await asyncio.to_thread(_place, source, target)
        except OSError as error:
            raise RecordingStoreError(f"could not store {key!r}: {error}") from error
        return StoredObject(key, size)

    async def stat(self, key: str) -> StoredObject | None:
        path = self._path(key)
        try:
            result = await asyncio.to_thread(path.stat)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            raise RecordingStoreError(f"could not read {key!r}: {error}") from error
        if not path.is_file():
            return None  # a folder of a longer key, not an object
        return StoredObject(key, result.st_size)

    async def read_range(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        path = self._path(key)
        check_range(start, end)
        try:
            file = await asyncio.to_thread(path.open, "rb")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise ObjectMissing(key) from None
        except OSError as error:
            raise RecordingStoreError(f"could not read {key!r}: {error}") from error
        try:
            await asyncio.to_thread(file.seek, start)
            remaining = end - start + 1
            while remaining > 0:
                chunk = await asyncio.to_thread(file.read, min(self._chunk_size, remaining))
                if not chunk:
                    return  # the range runs past the end of the file
                remaining -= len(chunk)
                yield chunk
        finally:
            await asyncio.to_thread(file.close)

    async def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            await asyncio.to_thread(_remove_file, path, self._root)
        except OSError as error:
            raise RecordingStoreError(f"could not delete {key!r}: {error}") from error

    async def delete_prefix(self, prefix: str) -> int:
        folder = self._path(prefix, what="prefix")
        try:
            return await asyncio.to_thread(_remove_tree, folder, self._root)
        except OSError as error:
            raise RecordingStoreError(f"could not delete under {prefix!r}: {error}") from error

    async def presigned_url(
        self, key: str, download_filename: str | None = None, expires_in: int | None = None
    ) -> str | None:
        check_key(key)
        return None  # no one but the API reads this directory

    async def check(self) -> None:
        try:
            await asyncio.to_thread(_probe, self._root)
        except OSError as error:
            raise RecordingStoreError(
                f"recording directory {self._root} is not writable: {error}"
            ) from error

    async def close(self) -> None:
        return None

    def _path(self, key: str, *, what: str = "key") -> Path:
        # check_key admits no '..', no absolute path and no NUL, so this stays under root.
        return self._root.joinpath(*check_key(key, what=what).split("/"))


def _place(source: Path, target: Path) -> int:
    """Put `source`'s content at `target` atomically; returns its size."""
    size = source.stat().st_size
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and os.path.samefile(source, target):
        return size  # already there (a writer that wrote into the store's folder)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    try:
        try:
            os.link(source, temporary)
        except OSError as error:
            if error.errno not in _NO_LINK:
                raise
            _copy_synced(source, temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return size


def _copy_synced(source: Path, target: Path) -> None:
    with source.open("rb") as reader, target.open("xb") as writer:
        shutil.copyfileobj(reader, writer, DEFAULT_CHUNK_SIZE)
        writer.flush()
        os.fsync(writer.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the rename durable: a crash right after must not bring back the old file."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_file(path: Path, root: Path) -> None:
    try:
        if path.is_dir():
            return  # a folder of longer keys is not this key's object
        path.unlink()
    except (FileNotFoundError, NotADirectoryError):
        return
    _prune_empty_parents(path.parent, root)


def _remove_tree(folder: Path, root: Path) -> int:
    if not folder.is_dir():
        return 0
    count = sum(1 for path in folder.rglob("*") if path.is_file() and not path.name.startswith("."))
    shutil.rmtree(folder)
    _prune_empty_parents(folder.parent, root)
    return count


def _prune_empty_parents(folder: Path, root: Path) -> None:
    """Remove folders left empty, up to (not including) the root."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or already gone): stop here
        folder = folder.parent


def _probe(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    probe = root / f".probe.{uuid.uuid4().hex}"
    probe.write_bytes(b"ok")
    probe.unlink()
