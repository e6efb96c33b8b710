"""The meeting mails: an invitation carrying the `.ics` file, and a reminder. Built with
the account mails' layout (HTML and plain text, user values escaped in HTML)."""

from __future__ import annotations

from datetime import datetime

from rapat.mail.message import Attachment, OutgoingMail
from rapat.mail.templates import PRODUCT_NAME, _Button, _check_link, _mail


def _when(moment: datetime | None) -> str:
    return moment.strftime("%A %d %B %Y, %H:%M UTC") if moment is not None else "now"


def invitation_mail(
    to: str,
    first_name: str,
    *,
    inviter: str,
    room_name: str,
    starts_at: datetime | None,
    link: str,
    ics: tuple[str, str] | None,
) -> OutgoingMail:
    """``ics`` is (calendar text, file name) for a scheduled meeting."""
    _check_link(link)
    paragraphs = (
        f"{inviter} invited you to the meeting “{room_name}”.",
        f"When: {_when(starts_at)}.",
    )
    notice = (
        "The calendar file attached adds the meeting to your calendar."
        if ics is not None
        else f"Open the link any time while the meeting runs to join it in {PRODUCT_NAME}."
    )
    mail = _mail(
        to,
        subject=f"Invitation: {room_name}",
        first_name=first_name,
        paragraphs=paragraphs,
        button=_Button("Join the meeting", link),
        notice=notice,
    )
    if ics is None:
        return mail
    text, filename = ics
    attachment = Attachment(
        filename=filename,
        content_type="text/calendar; method=REQUEST; charset=utf-8",
        data=text.encode(),
    )
    return OutgoingMail(
        to=mail.to, subject=mail.subject, text=mail.text, html=mail.html, attachments=(attachment,)
    )


def reminder_mail(
    to: str, first_name: str, *, room_name: str, starts_at: datetime, minutes: int, link: str
) -> OutgoingMail:
    _check_link(link)
    return _mail(
        to,
        subject=f"Starting in {minutes} minutes: {room_name}",
        first_name=first_name,
        paragraphs=(f"Your meeting “{room_name}” starts at {_when(starts_at)}.",),
        button=_Button("Join the meeting", link),
        notice="You get this reminder because you are a member of the meeting. "
        "Reminder emails can be turned off in your settings.",
    )
