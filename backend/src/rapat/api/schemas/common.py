"""Field types shared by request bodies."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("not a valid email address")
    return value.lower()


def _printable(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


Email = Annotated[
    str,
    BeforeValidator(_strip),
    StringConstraints(min_length=3, max_length=255),
    AfterValidator(_email),
]
PersonName = Annotated[
    str,
    BeforeValidator(_strip),
    StringConstraints(min_length=1, max_length=100),
    AfterValidator(_printable),
]
# Length is checked by the password policy, so its message is the one users see.
Password = Annotated[str, Field(min_length=1, max_length=1024)]
Secret = Annotated[str, StringConstraints(min_length=16, max_length=256)]


class RequestBody(BaseModel):
    """Base of every request body: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")
