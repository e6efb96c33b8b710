"""The `Content-Disposition` that makes a browser save a download under a given name
(RFC 6266): a plain-ASCII `filename` for old clients and the exact name, percent-encoded
UTF-8, in `filename*` (RFC 8187)."""

from __future__ import annotations

from urllib.parse import quote

# Characters a quoted `filename` cannot carry as they are, or that name folders.
_UNSAFE = frozenset('"\\/')


def attachment_disposition(filename: str) -> str:
    name = _clean(filename) or "download"
    fallback = "".join("_" if ord(char) > 126 or char in _UNSAFE else char for char in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _clean(filename: str) -> str:
    """The name without control characters or folder parts, trimmed."""
    visible = "".join(char for char in filename if char.isprintable())
    return visible.replace("/", "_").replace("\\", "_").strip()
