"""Short-lived links to one file for one person: what a `<video src>` or a download link
carries instead of an Authorization header, which browsers do not send there.

A link token is a JWT of its own kind (`typ: file`), signed with a key derived from the
secret key for this purpose only, naming the person, their sign-in session and the one
resource it opens; it expires after minutes, so one copied out of a page is soon useless.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from rapat.security.tokens import InvalidToken

FILE_TYPE = "file"
ALGORITHM = "HS256"
_REQUIRED = ["sub", "sid", "res", "exp", "typ"]


@dataclass(frozen=True, slots=True)
class FileGrant:
    user_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: datetime


class FileLinks:
    def __init__(self, secret_key: str, ttl_seconds: int = 300) -> None:
        # Its own key: a file token is never an access token, nor the reverse.
        self._key = hmac.new(secret_key.encode(), b"rapat file links", hashlib.sha256).hexdigest()
        self.ttl_seconds = ttl_seconds

    def issue(
        self,
        resource: str,
        user_id: uuid.UUID,
        session_id: uuid.UUID,
        now: datetime | None = None,
    ) -> tuple[str, datetime]:
        """A token opening `resource` (e.g. `recording:<id>`) and when it expires."""
        expires = (now or datetime.now(UTC)) + timedelta(seconds=self.ttl_seconds)
        claims = {
            "sub": str(user_id),
            "sid": str(session_id),
            "res": resource,
            "typ": FILE_TYPE,
            "exp": int(expires.timestamp()),
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM), expires

    def verify(self, token: str, resource: str) -> FileGrant:
        try:
            claims = jwt.decode(
                token, self._key, algorithms=[ALGORITHM], options={"require": _REQUIRED}
            )
            if claims["typ"] != FILE_TYPE or claims["res"] != resource:
                raise InvalidToken("not a link to this file")
            return FileGrant(
                uuid.UUID(claims["sub"]),
                uuid.UUID(claims["sid"]),
                datetime.fromtimestamp(int(claims["exp"]), UTC),
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        except (ValueError, TypeError, KeyError):
            raise InvalidToken("malformed claims") from None
