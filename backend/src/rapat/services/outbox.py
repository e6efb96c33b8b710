"""Sends mail through a background job so a request never waits for (or reveals, by its
timing) a mail server. The job retries temporary failures with backoff; a refused
message is dead-lettered and logged with the recipient; the user can ask again."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from typing import Any

from rapat.mail.message import Attachment, OutgoingMail
from rapat.observability.logging import get_logger
from rapat.services.job_queue import SEND_MAIL, JobQueue

_log = get_logger("rapat.mail")


def mail_to_payload(mail: OutgoingMail) -> dict[str, Any]:
    """A JSON-safe form of the message (attachments in base64) for the job queue."""
    return {
        "to": mail.to,
        "subject": mail.subject,
        "text": mail.text,
        "html": mail.html,
        "reply_to": mail.reply_to,
        "attachments": [
            {
                "filename": item.filename,
                "content_type": item.content_type,
                "data": base64.b64encode(item.data).decode("ascii"),
            }
            for item in mail.attachments
        ],
    }


def mail_from_payload(payload: dict[str, Any]) -> OutgoingMail:
    """The message back; ValueError (or KeyError) when the payload is not one."""
    return OutgoingMail(
        to=str(payload["to"]),
        subject=str(payload["subject"]),
        text=str(payload["text"]),
        html=payload.get("html"),
        reply_to=payload.get("reply_to"),
        attachments=tuple(
            Attachment(
                filename=str(item["filename"]),
                content_type=str(item["content_type"]),
                data=base64.b64decode(item["data"], validate=True),
            )
            for item in payload.get("attachments", ())
        ),
    )


class MailOutbox:
    def __init__(
        self, queue: JobQueue, settle: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        self._queue = queue
        # Waits for jobs running in this process (the embedded broker), so the development
        # mailbox shows a mail queued a moment ago.
        self._settle = settle
        self._pending: set[asyncio.Task[None]] = set()

    def submit(self, mail: OutgoingMail) -> None:
        """Queue the mail without making the caller wait even for the queue."""
        task = asyncio.create_task(self._enqueue(mail))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def send_later(self, mail: OutgoingMail) -> None:
        """Queue the mail and return once the queue holds it."""
        await self._queue.enqueue(SEND_MAIL, mail_to_payload(mail))

    async def _enqueue(self, mail: OutgoingMail) -> None:
        try:
            await self.send_later(mail)
        except Exception:  # logged, never raised: the request that queued it has finished
            _log.exception("mail_not_queued", to=mail.to, subject=mail.subject)

    async def drain(self) -> None:
        """Wait until every submitted mail is queued, and in-process jobs have run."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
        if self._settle is not None:
            await self._settle()
