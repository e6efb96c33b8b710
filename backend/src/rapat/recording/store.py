"""Where finished recordings are kept: the `RecordingStore` seam, its object and error types,
and the rules every key follows. Implementations: `local_store.LocalRecordingStore` (a
directory, the embedded default) and `s3_store.S3RecordingStore` (S3-compatible object
storage); both pass the same contract tests.

Keys are paths of segments separated by `/`, e.g. `<room id>/<recording id>/composed.mp4`.
Errors::

    RecordingStoreError          the store failed (unreachable, refused, disk error)
    ├── InvalidKey               a key or prefix that breaks the rules below (also ValueError)
    └── ObjectMissing            no object under that key
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

# S3's own limit on a key, in UTF-8 bytes.
MAX_KEY_BYTES = 1024
# A segment starts with a letter, digit or underscore, so "." and ".." are impossible and
# the local store's temporary files (which start with a dot) never collide with a key.
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,254}")


class RecordingStoreError(Exception):
    """The store could not do what was asked; `code` is transport-neutral."""

    code: ClassVar[str] = "recording_store_failed"


class InvalidKey(RecordingStoreError, ValueError):
    code: ClassVar[str] = "recording_key_invalid"


class ObjectMissing(RecordingStoreError):
    code: ClassVar[str] = "recording_object_missing"

    def __init__(self, key: str) -> None:
        super().__init__(f"no stored object under {key!r}")
        self.key = key


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int  # bytes


def check_key(key: str, *, what: str = "key") -> str:
    """The key itself when it follows the rules; `InvalidKey` naming the rule otherwise."""
    if not isinstance(key, str) or not key:
        raise InvalidKey(f"recording {what} must be a non-empty string, got {key!r}")
    if "\x00" in key:
        raise InvalidKey(f"recording {what} {key!r} contains a NUL character")
    if key.startswith("/") or key.startswith("\\"):
        raise InvalidKey(f"recording {what} {key!r} is absolute; keys are relative paths")
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise InvalidKey(f"recording {what} is longer than {MAX_KEY_BYTES} bytes")
    for segment in key.split("/"):
        if segment in {"", ".", ".."}:
            raise InvalidKey(
                f"recording {what} {key!r} has an empty, '.' or '..' segment "
                "(no '//', no leading or trailing '/', no parent references)"
            )
        if not _SEGMENT.fullmatch(segment):
            raise InvalidKey(
                f"recording {what} {key!r}: segment {segment!r} must be letters, digits, "
                "'_', '.' or '-' (at most 255), starting with a letter, digit or '_'"
            )
    return key


def check_range(start: int, end: int) -> None:
    """A read's bounds: `end` is inclusive, as in HTTP's `Range`."""
    if start < 0 or end < start:
        raise ValueError(f"invalid byte range {start}-{end}: need 0 <= start <= end")


class RecordingStore(Protocol):
    """Finished recordings, by key. Every method validates its key (`InvalidKey`) and raises
    `RecordingStoreError` when the store itself fails."""

    async def put_file(self, key: str, source: Path, content_type: str) -> StoredObject:
        """Store the finished file `source` under `key`, replacing what was there: readers see
        the old object or the new one, never half of one. `source` is left in place. Memory
        stays bounded whatever the file's size."""
        ...

    async def stat(self, key: str) -> StoredObject | None:
        """The object under `key`, or None."""
        ...

    def read_range(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        """The bytes `start`..`end` (inclusive) of the object, in chunks of bounded size; a
        range past the end is cut at the end (nothing at all when `start` is past it).
        `ObjectMissing` is raised on the first iteration when there is no such object."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; a key with no object is not an error."""
        ...

    async def delete_prefix(self, prefix: str) -> int:
        """Remove every object whose key starts with `prefix` + "/" (whole segments: the
        prefix `a/b` never touches `a/bc/x`); returns how many were removed."""
        ...

    async def presigned_url(
        self, key: str, download_filename: str | None = None, expires_in: int | None = None
    ) -> str | None:
        """A URL a browser may GET the object from for `expires_in` seconds (the store's
        configured default when None), answering with `Content-Disposition: attachment`
        naming `download_filename` when given; None when this store does not hand out URLs
        (the API then streams the object with `read_range`). Whether the object exists is
        not checked."""
        ...

    async def check(self) -> None:
        """Readiness: raises when the store cannot be written to or reached."""
        ...

    async def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...
