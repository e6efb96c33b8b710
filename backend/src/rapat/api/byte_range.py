"""The HTTP `Range` header of a download, read against the object's size (RFC 9110 §14).

One range is served (206); anything else is the whole body (200): no header, another unit,
a header that does not parse, or several ranges (a browser's player asks for one; serving
several would mean multipart bodies, and many small ranges are a known way to make a
server work hard). A well-formed single range that starts past the end is unsatisfiable:
`RangeNotSatisfiable`, which the API answers with 416 and `Content-Range: bytes */<size>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# first-pos "-" [ last-pos ]  |  "-" suffix-length; digits only, as the grammar says.
_SPEC = re.compile(r"(?P<first>[0-9]+)-(?P<last>[0-9]*)|-(?P<suffix>[0-9]+)")
# A number this long is not a byte position of any file; refusing it keeps parsing cheap.
_MAX_DIGITS = 19


@dataclass(frozen=True, slots=True)
class ByteRange:
    start: int
    end: int  # inclusive
    size: int  # the whole object's

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    @property
    def content_range(self) -> str:
        """The `Content-Range` value of the 206 answer."""
        return f"bytes {self.start}-{self.end}/{self.size}"


class RangeNotSatisfiable(Exception):
    """A single range that no byte of the object falls in (answer 416)."""

    code = "range_not_satisfiable"

    def __init__(self, size: int) -> None:
        super().__init__(f"the requested range is outside the object's {size} bytes")
        self.size = size

    @property
    def content_range(self) -> str:
        """The `Content-Range` value of the 416 answer."""
        return f"bytes */{self.size}"


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one range to serve of an object of `size` bytes, or None for the whole body.
    Raises `RangeNotSatisfiable` for a single range that starts at or past `size` (or any
    range of an empty object, or a suffix of zero bytes)."""
    if size < 0:
        raise ValueError(f"an object's size cannot be negative: {size}")
    spec = _single_spec(header)
    if spec is None:
        return None
    first, last, suffix = spec
    if suffix is not None:
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(size)
        return ByteRange(max(0, size - suffix), size - 1, size)
    if last is not None and last < first:
        return None  # invalid, so ignored (RFC 9110 §14.1.1)
    if first >= size:
        raise RangeNotSatisfiable(size)
    end = size - 1 if last is None else min(last, size - 1)
    return ByteRange(first, end, size)


def _single_spec(header: str | None) -> tuple[int, int | None, int | None] | None:
    """(first, last, suffix length) of a header holding exactly one well-formed byte range;
    None for anything else."""
    if not header:
        return None
    unit, equals, specs = header.partition("=")
    if not equals or unit.strip().lower() != "bytes" or "," in specs:
        return None  # another unit, or several ranges (or stray commas)
    match = _SPEC.fullmatch(specs.strip())
    if match is None or any(len(value or "") > _MAX_DIGITS for value in match.groupdict().values()):
        return None
    if match["suffix"] is not None:
        return 0, None, int(match["suffix"])
    return int(match["first"]), int(match["last"]) if match["last"] else None, None
