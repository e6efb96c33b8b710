"""Giving freed heap memory back to the operating system after a large, short-lived
allocation, such as decoding a picture.

glibc keeps what a thread frees in that thread's arena, so after a few big decodes the
process holds hundreds of MiB it no longer uses until something reuses them;
`malloc_trim(0)` returns the free pages. Where there is no glibc (musl, macOS) there is
nothing to call and this does nothing.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    # Looked up on first use, not at import.
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return free heap pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
