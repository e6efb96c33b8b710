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
from rapat.domain.text import display_problem, first_storable_problem


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _email(value: str) -> str:
    """The mailer's own rule (domain/email_address.py), so every address accepted here
    can be written to."""
    if not is_deliverable_address(value):
        raise ValueError("not a valid email address")
    return value.lower()


def _printable(value: str) -> str:
    """One line others will read: a name, a room's name."""
    problem = display_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _printable_text(value: str) -> str:
    """Text others will read, over several lines: a room's description."""
    problem = display_problem(value, multiline=True)
    if problem is not None:
        raise ValueError(problem)
    return value


def _storable(value: Any) -> Any:
    """Every string inside a value, however nested, can be stored as sent."""
    problem = first_storable_problem(value)
    if problem is not None:
        raise ValueError(problem)
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


# For text shown to other people, after the length rules (docs/security.md, "Text").
PRINTABLE_LINE = AfterValidator(_printable)
PRINTABLE_TEXT = AfterValidator(_printable_text)


class RequestBody(BaseModel):
    """Base of every request body: unknown fields are an error, not silently ignored, and
    no string anywhere in it holds what the database cannot store (NUL, an unpaired
    surrogate): refused here, once, with the field named, instead of failing later."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _only_storable_text(cls, value: Any) -> Any:
        return _storable(value)
