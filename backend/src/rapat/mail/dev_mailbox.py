"""A mailer that delivers nowhere: it keeps the latest messages in memory and logs them.

Used in development and tests, so verification and reset links can be read in the
console or in the app's development mailbox without any mail server.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from rapat.mail.errors import MailDeliveryError
from rapat.mail.message import OutgoingMail
from rapat.observability.logging import get_logger

DEFAULT_CAPACITY = 200

_log = get_logger("rapat.mail")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class StoredMail:
    """A message as the development mailbox shows it."""

    id: str
    to: str
    subject: str
    text: str
    html: str | None
    created_at: datetime
    attachments: tuple[str, ...]  # file names only


class DevMailbox:
    """Keeps the last ``capacity`` messages; the oldest drop out first."""

    def __init__(
        self, capacity: int = DEFAULT_CAPACITY, *, now: Callable[[], datetime] = _utc_now
    ) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._messages: deque[StoredMail] = deque(maxlen=capacity)
        self._now = now
        self._closed = False

    async def send(self, mail: OutgoingMail) -> None:
        if self._closed:
            raise MailDeliveryError("the development mailbox is closed")
        stored = StoredMail(
            id=str(uuid.uuid4()),
            to=mail.to,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            created_at=self._now(),
            attachments=tuple(attachment.filename for attachment in mail.attachments),
        )
        self._messages.append(stored)
        # The body is logged on purpose: a developer finds verification links in the console.
        _log.info(
            "mail_kept",
            to=mail.to,
            subject=mail.subject,
            text=mail.text,
            mail_id=stored.id,
        )

    async def ping(self) -> None:
        if self._closed:
            raise MailDeliveryError("the development mailbox is closed")

    async def close(self) -> None:
        self._closed = True

    def messages(self) -> list[StoredMail]:
        """Newest first."""
        return list(reversed(self._messages))

    def get(self, mail_id: str) -> StoredMail | None:
        return next((mail for mail in self._messages if mail.id == mail_id), None)

    def clear(self) -> None:
        self._messages.clear()
