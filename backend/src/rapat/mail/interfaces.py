"""The seam between the product and mail delivery.

Two implementations pass the same contract tests: ``DevMailbox`` keeps messages in
memory for the embedded development run, ``SmtpMailer`` hands them to an SMTP server.
Every failure is a ``MailDeliveryError`` (``rapat.mail.errors``).
"""

from __future__ import annotations

from typing import Protocol

from rapat.mail.message import OutgoingMail


class Mailer(Protocol):
    async def send(self, mail: OutgoingMail) -> None:
        """Hand the message over for delivery; returns once the server accepted it."""
        ...

    async def ping(self) -> None:
        """Return when mail could be sent now; raise ``MailDeliveryError`` otherwise."""
        ...

    async def close(self) -> None:
        """Release what the mailer holds; later sends fail. Calling it twice is harmless."""
        ...
