"""iCalendar (RFC 5545) invitations for scheduled meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEFAULT_DURATION = timedelta(minutes=60)


@dataclass(frozen=True, slots=True)
class Invitation:
    uid: str
    title: str
    description: str
    url: str
    organizer_name: str
    starts_at: datetime
    duration: timedelta | None
    sequence: int = 0
    cancelled: bool = False


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render_invitation(invitation: Invitation, now: datetime) -> str:
    ends_at = invitation.starts_at + (invitation.duration or DEFAULT_DURATION)
    name = escape_text(invitation.organizer_name).replace('"', "'")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rapat//Meetings//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if invitation.cancelled else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{invitation.uid}",
        f"SEQUENCE:{invitation.sequence}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(invitation.starts_at)}",
        f"DTEND:{_stamp(ends_at)}",
        f"SUMMARY:{escape_text(invitation.title)}",
        f"DESCRIPTION:{escape_text(invitation.description)}",
        f"URL:{invitation.url}",
        f"LOCATION:{escape_text(invitation.url)}",
        f'ORGANIZER;CN="{name}":mailto:no-reply@rapat.invalid',
        f"STATUS:{'CANCELLED' if invitation.cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
