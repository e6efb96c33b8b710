"""Access tokens (JWT) and opaque secrets (refresh, email links) stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

ACCESS_TYPE = "access"
REQUIRED_CLAIMS = ["sub", "exp", "iat", "jti", "sid", "typ"]


class InvalidToken(Exception):
    """Expired, forged, malformed or of the wrong kind."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    token_id: str
    expires_at: datetime


def new_secret() -> str:
    """256 random bits, URL-safe: refresh tokens and email link tokens."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessTokens:
    def __init__(self, secret_key: str, algorithm: str, ttl_seconds: int) -> None:
        self._key = secret_key
        self._algorithm = algorithm
        self.ttl_seconds = ttl_seconds

    def issue(self, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime | None = None) -> str:
        issued = now or datetime.now(UTC)
        claims = {
            "sub": str(user_id),
            "sid": str(session_id),
            "jti": uuid.uuid4().hex,
            "typ": ACCESS_TYPE,
            "iat": int(issued.timestamp()),
            "exp": int((issued + timedelta(seconds=self.ttl_seconds)).timestamp()),
        }
        return jwt.encode(claims, self._key, algorithm=self._algorithm)

    def verify(self, token: str) -> AccessClaims:
        try:
            # Only our one algorithm: no `none`, no switching to another family.
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[self._algorithm],
                options={"require": REQUIRED_CLAIMS},
            )
            if claims["typ"] != ACCESS_TYPE:
                raise InvalidToken("not an access token")
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                token_id=str(claims["jti"]),
                expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        except (ValueError, TypeError, KeyError):
            raise InvalidToken("malformed claims") from None
