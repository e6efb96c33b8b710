"""What the product sends: one message to one recipient, validated when it is built.

Header values are checked for CR/LF here, once, so no caller can inject headers
through a subject, an address or an attachment name, whichever mailer sends it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapat.domain.email_address import is_plain_address

# ``type/subtype`` with optional ``; name=value`` parameters (``text/calendar; method=REQUEST``).
_MIME_WORD = r"[A-Za-z0-9!#$&^_.+-]+"
_PARAMETER = rf"\s*;\s*{_MIME_WORD}=({_MIME_WORD}|\"[^\"\\]*\")"
_CONTENT_TYPE = re.compile(rf"{_MIME_WORD}/{_MIME_WORD}({_PARAMETER})*")


def check_address(value: str, what: str = "address") -> str:
    """The address unchanged, or ValueError when it is not exactly one plain address."""
    if not is_plain_address(value):
        raise ValueError(f"{what} must be one plain email address (local@domain), got {value!r}")
    return value


def check_header_text(value: str, what: str) -> str:
    """The text unchanged, or ValueError when it is blank or holds a line break."""
    if not value.strip():
        raise ValueError(f"{what} must not be empty")
    if "\r" in value or "\n" in value:
        raise ValueError(f"{what} must not contain line breaks")
    return value


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message, such as an ``.ics`` invitation."""

    filename: str
    content_type: str
    data: bytes

    def __post_init__(self) -> None:
        check_header_text(self.filename, "attachment filename")
        if "/" in self.filename or "\\" in self.filename:
            raise ValueError(f"attachment filename must not be a path, got {self.filename!r}")
        check_header_text(self.content_type, "attachment content type")
        if _CONTENT_TYPE.fullmatch(self.content_type) is None:
            raise ValueError(
                f"attachment content type must look like 'type/subtype', got {self.content_type!r}"
            )


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """One message to one recipient: a plain-text body, and optionally an HTML one."""

    to: str
    subject: str
    text: str
    html: str | None = None
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()

    def __post_init__(self) -> None:
        check_address(self.to, "recipient")
        check_header_text(self.subject, "subject")
        if not self.text.strip():
            raise ValueError("text body must not be empty")
        if self.html is not None and not self.html.strip():
            raise ValueError("html body must be None or not empty")
        if self.reply_to is not None:
            check_address(self.reply_to, "reply-to")
