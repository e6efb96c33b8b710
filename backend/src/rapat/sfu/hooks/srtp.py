"""SRTP through libsrtp directly: pylibsrtp's session, without its per-call Python work.

Reaches into pylibsrtp's `Session` (its libsrtp context, cffi data and buffer);
`self_check.verify` checks it still protects as pylibsrtp does.
"""

from __future__ import annotations

from typing import Any

import pylibsrtp

# pylibsrtp's cffi binding, as its Session uses it (not exported: read by name)
srtp_ffi: Any = getattr(pylibsrtp, "ffi")  # noqa: B009
srtp_lib: Any = getattr(pylibsrtp, "lib")  # noqa: B009


class SrtpCalls:
    """pylibsrtp's `Session.protect` and `unprotect` for RTP, without what they do around
    libsrtp on every call in Python (a cffi integer allocated, type and size checks through
    a name-mangled helper): ~1 µs of ~3 per packet. Same buffer, same limits, same errors
    (pylibsrtp.Error from libsrtp, ValueError for a packet too long)."""

    def __init__(self, session: pylibsrtp.Session) -> None:
        self._session = session  # it owns the libsrtp context and the buffer used here
        self._context = session._srtp[0]
        self._cdata = session._cdata
        self._buffer = session._buffer
        self._size = len(session._buffer)
        self._length = srtp_ffi.new("int *")

    def protect(self, data: bytes) -> bytes:
        return self._call(srtp_lib.srtp_protect, data, pylibsrtp.SRTP_MAX_TRAILER_LEN)

    def unprotect(self, data: bytes) -> bytes:
        return self._call(srtp_lib.srtp_unprotect, data, 0)

    def unprotect_rtcp(self, data: bytes) -> bytes:
        return self._call(srtp_lib.srtp_unprotect_rtcp, data, 0)

    def _call(self, function: Any, data: bytes, trailer: int) -> bytes:
        size = len(data)
        if size > self._size - trailer:
            raise ValueError("packet is too long")
        buffer, length = self._buffer, self._length
        buffer[0:size] = data
        length[0] = size
        status = function(self._context, self._cdata, length)
        if status:
            raise pylibsrtp.Error(pylibsrtp.ERRORS[status])
        result: bytes = buffer[0 : length[0]]
        return result


def srtp_calls(session: pylibsrtp.Session) -> SrtpCalls:
    """The session's SrtpCalls (made on first use, kept on the session)."""
    calls: SrtpCalls | None = getattr(session, "_rapat_calls", None)
    if calls is None:
        calls = session._rapat_calls = SrtpCalls(session)  # type: ignore[attr-defined]
    return calls
