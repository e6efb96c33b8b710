"""Delivery through an SMTP server with aiosmtplib: one connection per message.

Mail is sent from background jobs at a low rate, so a fresh connection per message
keeps this free of pooled-connection state (idle timeouts, servers that drop us).

``RAPAT_SMTP_URL`` forms (user and password are optional, percent-encoded):

    smtp://user:pass@host:25            no TLS (a relay on a trusted network)
    smtp+starttls://user:pass@host:587  STARTTLS, required: no silent plain-text fallback
    smtps://user:pass@host:465          TLS from the first byte
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import unquote, urlsplit

import aiosmtplib

from rapat.mail.errors import MailDeliveryError
from rapat.mail.message import OutgoingMail
from rapat.mail.mime import build_mime, parse_sender

Security = Literal["none", "starttls", "tls"]

_SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp": ("none", 25),
    "smtp+starttls": ("starttls", 587),
    "smtps": ("tls", 465),
}
DEFAULT_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    security: Security
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def parse_smtp_url(url: str) -> SmtpConfig:
    """The settings in an SMTP URL, or ValueError saying what is wrong with it."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        allowed = ", ".join(f"{name}://" for name in _SCHEMES)
        raise ValueError(f"SMTP URL must start with one of {allowed}; got {scheme or 'none'!r}")
    security, default_port = _SCHEMES[scheme]
    if not parts.hostname:
        raise ValueError("SMTP URL has no host (expected e.g. smtp://mail.example.com:25)")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("SMTP URL must not have a path, query or fragment")
    try:
        port = parts.port or default_port
    except ValueError as error:  # urlsplit refuses ports that are not numbers or out of range
        raise ValueError(f"SMTP URL has an invalid port: {error}") from None
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    if (username is None) != (password is None):
        raise ValueError("SMTP URL must give both a user name and a password, or neither")
    return SmtpConfig(parts.hostname, port, security, username, password)


class SmtpMailer:
    """Sends each message over its own connection, as ``from_address`` (``addr`` or
    ``Name <addr>``). ``tls_context`` replaces the system's trusted certificates, for a
    server with a private CA."""

    def __init__(
        self,
        config: SmtpConfig,
        from_address: str,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        parse_sender(from_address)  # refuse a bad sender at start-up, not at the first mail
        self._config = config
        self._from_address = from_address
        self._timeout = timeout
        self._tls_context = tls_context
        self._closed = False

    async def send(self, mail: OutgoingMail) -> None:
        message = build_mime(mail, self._from_address, date=datetime.now(UTC))
        async with self._session("send mail", login=True) as client:
            await client.send_message(message)

    async def ping(self) -> None:
        # Connect, greet and NOOP without logging in: a readiness probe runs often, and
        # repeated logins can trip a provider's abuse limits.
        async with self._session("reach the mail server", login=False) as client:
            await client.noop()

    async def close(self) -> None:
        self._closed = True

    @asynccontextmanager
    async def _session(self, action: str, *, login: bool) -> AsyncIterator[aiosmtplib.SMTP]:
        """A connected (and, with ``login``, authenticated) client; every failure inside
        becomes ``MailDeliveryError``."""
        if self._closed:
            raise MailDeliveryError("the SMTP mailer is closed", temporary=False)
        config = self._config
        client = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            timeout=self._timeout,
            use_tls=config.security == "tls",
            start_tls=config.security == "starttls",
            tls_context=self._tls_context,
            username=config.username if login else None,
            password=config.password if login else None,
        )
        try:
            await client.connect()
            yield client
            with suppress(aiosmtplib.SMTPException, OSError):
                await client.quit()  # the server has what it needs; a failed goodbye is no error
        except (aiosmtplib.SMTPException, OSError) as error:
            failure = f"could not {action} via {config.host}:{config.port}"
            raise _delivery_error(failure, error) from error
        finally:
            client.close()


def _delivery_error(failure: str, error: BaseException) -> MailDeliveryError:
    code = _reply_code(error)
    # Without a reply code: connection trouble and timeouts (aiosmtplib's are OSErrors too)
    # may pass; anything else means the server lacks STARTTLS or AUTH, which needs a new
    # setting, not a retry.
    temporary = 400 <= code < 500 if code is not None else isinstance(error, OSError)
    detail = str(error) or type(error).__name__
    return MailDeliveryError(f"{failure}: {detail}", temporary=temporary)


def _reply_code(error: BaseException) -> int | None:
    """The SMTP reply code behind a failure, None for connection problems."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        return error.recipients[0].code
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return error.code
    return None
