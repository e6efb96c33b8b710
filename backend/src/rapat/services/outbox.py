"""Sends mail in the background so a request never waits for (or reveals, by its timing)
a mail server. Failures are logged with the recipient; the user can ask again."""

from __future__ import annotations

import asyncio

from rapat.mail.message import OutgoingMail
from rapat.observability.logging import get_logger
from rapat.services.ports import MailSender

_log = get_logger("rapat.mail")


class MailOutbox:
    def __init__(self, sender: MailSender) -> None:
        self._sender = sender
        self._pending: set[asyncio.Task[None]] = set()

    def submit(self, mail: OutgoingMail) -> None:
        task = asyncio.create_task(self._deliver(mail))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _deliver(self, mail: OutgoingMail) -> None:
        try:
            await self._sender.send(mail)
        except Exception:  # logged, never raised: the request that queued it has finished
            _log.exception("mail_not_sent", to=mail.to, subject=mail.subject)

    async def drain(self) -> None:
        """Wait for every queued mail (at shutdown, and in tests)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
