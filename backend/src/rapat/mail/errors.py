"""The one error every mailer raises, so callers never see an SMTP library's exceptions."""

from __future__ import annotations


class MailDeliveryError(Exception):
    """A message could not be handed to the mail server (or the server cannot be reached).

    ``temporary`` tells a retrying job whether trying again later can help: True for
    connection failures, timeouts and 4xx replies; False for 5xx replies (a refused
    recipient, wrong credentials), a server lacking STARTTLS or AUTH, or a closed mailer.
    """

    def __init__(self, message: str, *, temporary: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.temporary = temporary
