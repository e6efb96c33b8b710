"""Turn an ``OutgoingMail`` into the MIME message an SMTP server receives.

Layout: ``multipart/alternative`` (text, then HTML) when there is HTML, wrapped in
``multipart/mixed`` when there are attachments; a plain ``text/plain`` otherwise.
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from rapat.mail.message import OutgoingMail, check_address, check_header_text


def parse_sender(from_address: str) -> tuple[str, str]:
    """``(display name, address)`` from ``addr`` or ``Name <addr>``; ValueError if invalid."""
    check_header_text(from_address, "sender")
    addresses = policy.default.header_factory("From", from_address).addresses
    if len(addresses) != 1:
        raise ValueError(f"sender must be one address, got {from_address!r}")
    return addresses[0].display_name, check_address(addresses[0].addr_spec, "sender")


def split_content_type(content_type: str) -> tuple[str, str, dict[str, str]]:
    """``text/calendar; method=REQUEST`` → ``("text", "calendar", {"method": "REQUEST"})``."""
    kind, *raw_params = (part.strip() for part in content_type.split(";"))
    maintype, _, subtype = kind.partition("/")
    params: dict[str, str] = {}
    for raw in raw_params:
        name, _, value = raw.partition("=")
        params[name.strip().lower()] = value.strip().strip('"')
    return maintype.lower(), subtype.lower(), params


def build_mime(mail: OutgoingMail, from_address: str, *, date: datetime) -> EmailMessage:
    """The complete message with From, To, Subject, Date and a Message-ID on the sender's
    domain (mail servers score messages without one as spam)."""
    if date.tzinfo is None:
        raise ValueError("date must be timezone-aware")
    name, address = parse_sender(from_address)
    message = EmailMessage()
    message["From"] = formataddr((name, address))
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2])
    if mail.reply_to is not None:
        message["Reply-To"] = mail.reply_to
    message.set_content(mail.text, subtype="plain", charset="utf-8")
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html", charset="utf-8")
    for attachment in mail.attachments:
        maintype, subtype, params = split_content_type(attachment.content_type)
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=params,
        )
    return message
