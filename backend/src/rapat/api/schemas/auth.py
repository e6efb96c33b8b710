"""Bodies of /auth and the user objects they return."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from rapat.api.schemas.common import Email, Password, PersonName, RequestBody, Secret
from rapat.api.schemas.records import UserRecord


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    avatar_url: str | None
    email_verified: bool
    status: str
    created_at: datetime
    last_login: datetime | None

    @classmethod
    def of(cls, user: UserRecord) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            avatar_url=user.avatar,
            email_verified=user.email_verified,
            status=user.status,
            created_at=user.created_at,
            last_login=user.last_login,
        )


class RegisterIn(RequestBody):
    email: Email
    password: Password
    first_name: PersonName
    last_name: PersonName


class LoginIn(RequestBody):
    email: Email
    password: Password


class RefreshIn(RequestBody):
    refresh_token: Secret


class LogoutIn(RequestBody):
    refresh_token: Secret | None = None


class TokenIn(RequestBody):
    token: Secret


class EmailIn(RequestBody):
    email: Email


class ResetPasswordIn(RequestBody):
    token: Secret
    password: Password


class UserEnvelope(BaseModel):
    user: UserOut


class MessageOut(BaseModel):
    message: str


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (a scheme name)
    expires_in: int
    refresh_expires_in: int
    user: UserOut


class SessionOut(BaseModel):
    id: uuid.UUID
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    ip_address: str | None
    user_agent: str | None
    current: bool
