"""Field types shared by request bodies."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from rapat.domain.email_address import is_deliverable_address
from rapat.domain.text import require_line, require_storable, require_text


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _email(value: str) -> str:
    """The mailer's own rule (domain/email_address.py), so every address accepted here
    can be written to."""
    if not is_deliverable_address(value):
        raise ValueError("not a valid email address")
    return value.lower()


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
    AfterValidator(require_line),
]
# Length is checked by the password policy, so its message is the one users see.
Password = Annotated[str, Field(min_length=1, max_length=1024)]
Secret = Annotated[str, StringConstraints(min_length=16, max_length=256)]


# For text shown to other people, after the length rules (docs/security.md, "Text").
PRINTABLE_LINE = AfterValidator(require_line)
PRINTABLE_TEXT = AfterValidator(require_text)


class RequestBody(BaseModel):
    """Base of every request body: unknown fields are an error, not silently ignored, and
    no string anywhere in it holds what the database cannot store (NUL, an unpaired
    surrogate): refused here, once, with the field named, instead of failing later."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _only_storable_text(cls, value: Any) -> Any:
        return require_storable(value)
