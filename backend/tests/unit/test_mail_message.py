"""OutgoingMail refuses what would break or inject headers; build_mime lays out the MIME."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage

import pytest

from rapat.mail import Attachment, OutgoingMail
from rapat.mail.mime import build_mime, parse_sender, split_content_type

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
INVITE = Attachment("invite.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR\r\n")


def mail(**changes: object) -> OutgoingMail:
    fields: dict[str, object] = {"to": "ayu@example.com", "subject": "Hi", "text": "Body"}
    fields.update(changes)
    return OutgoingMail(**fields)  # type: ignore[arg-type]


def test_a_valid_mail_keeps_its_values() -> None:
    sent = mail(html="<p>Body</p>", reply_to="host@example.org", attachments=(INVITE,))
    assert (sent.to, sent.subject, sent.text, sent.html) == (
        "ayu@example.com",
        "Hi",
        "Body",
        "<p>Body</p>",
    )
    assert sent.attachments == (INVITE,)


@pytest.mark.parametrize(
    "field",
    ["to", "subject", "reply_to"],
)
@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r"])
def test_line_breaks_in_headers_are_refused(field: str, line_break: str) -> None:
    base = {"to": "ayu@example.com", "subject": "Hi", "reply_to": "host@example.org"}
    injected = base[field] + f"{line_break}Bcc: victim@example.net"
    with pytest.raises(ValueError, match=r"line breaks|plain email address"):
        mail(**{**base, field: injected})


@pytest.mark.parametrize(
    "address",
    [
        "",
        "ayu",
        "ayu@",
        "@example.com",
        "ayu@example.com, budi@example.com",
        "ayu@example.com;budi@example.com",
        "Ayu <ayu@example.com>",
        "ayu @example.com",
        "a@b@example.com",
        "x" * 250 + "@example.com",
    ],
)
def test_recipient_must_be_one_plain_address(address: str) -> None:
    with pytest.raises(ValueError, match="recipient must be one plain email address"):
        mail(to=address)


@pytest.mark.parametrize(
    "address", ["ayu@example.com", "a.b+meet@mail.example.co.id", "x@localhost"]
)
def test_plain_addresses_are_accepted(address: str) -> None:
    assert mail(to=address).to == address


@pytest.mark.parametrize(("field", "value"), [("subject", " "), ("text", "\n\t"), ("html", "  ")])
def test_blank_subject_and_bodies_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValueError, match=r"must not be empty|must be None or not empty"):
        mail(**{field: value})


@pytest.mark.parametrize(
    ("filename", "content_type", "error"),
    [
        ("a.ics\r\nX-Evil: 1", "text/calendar", "line breaks"),
        ("../etc/passwd", "text/plain", "not be a path"),
        ("", "text/plain", "must not be empty"),
        ("a.ics", "text/calendar\r\nX-Evil: 1", "line breaks"),
        ("a.ics", "calendar", "type/subtype"),
        ("a.ics", "text/calendar; method", "type/subtype"),
    ],
)
def test_attachment_headers_are_checked(filename: str, content_type: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        Attachment(filename, content_type, b"data")


def test_split_content_type_reads_parameters() -> None:
    assert split_content_type('Text/Calendar; method=REQUEST; charset="utf-8"') == (
        "text",
        "calendar",
        {"method": "REQUEST", "charset": "utf-8"},
    )


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("no-reply@rapat.example", ("", "no-reply@rapat.example")),
        ("Rapat <no-reply@rapat.example>", ("Rapat", "no-reply@rapat.example")),
        ('"Rapat, Team" <team@rapat.example>', ("Rapat, Team", "team@rapat.example")),
    ],
)
def test_parse_sender(sender: str, expected: tuple[str, str]) -> None:
    assert parse_sender(sender) == expected


@pytest.mark.parametrize(
    "sender", ["a@x.example, b@x.example", "nobody", "R <a@x.example>\r\nBcc: v@x"]
)
def test_parse_sender_refuses_anything_but_one_address(sender: str) -> None:
    with pytest.raises(ValueError, match="sender"):
        parse_sender(sender)


def reparse(message: EmailMessage) -> EmailMessage:
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_build_mime_text_only() -> None:
    built = reparse(build_mime(mail(text="Halo ✓"), "no-reply@rapat.example", date=NOW))
    assert built.get_content_type() == "text/plain"
    assert built.get_content() == "Halo ✓\n"
    assert built["From"] == "no-reply@rapat.example"
    assert built["Date"] == "Tue, 24 Nov 2026 09:30:00 +0000"
    assert built["Message-ID"].endswith("@rapat.example>")
    assert built["Reply-To"] is None


def test_build_mime_with_html_reply_to_and_attachment() -> None:
    sent = mail(
        subject="Undangan — Rapat",
        text="Plain",
        html="<p>Rich</p>",
        reply_to="host@example.org",
        attachments=(INVITE,),
    )
    built = reparse(build_mime(sent, "Rapat <no-reply@rapat.example>", date=NOW))
    assert built.get_content_type() == "multipart/mixed"
    assert (built["To"], built["Subject"]) == ("ayu@example.com", "Undangan — Rapat")
    assert built["From"] == "Rapat <no-reply@rapat.example>"
    assert built["Reply-To"] == "host@example.org"
    body = built.get_body(preferencelist=("plain",))
    html = built.get_body(preferencelist=("html",))
    assert body is not None
    assert html is not None
    assert (body.get_content(), html.get_content()) == ("Plain\n", "<p>Rich</p>\n")
    [attachment] = list(built.iter_attachments())
    assert isinstance(attachment, EmailMessage)
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_payload(decode=True) == INVITE.data


def test_build_mime_keeps_the_date_offset_and_needs_an_aware_date() -> None:
    jakarta = timezone(timedelta(hours=7))
    built = build_mime(mail(), "no-reply@rapat.example", date=NOW.astimezone(jakarta))
    assert built["Date"] == "Tue, 24 Nov 2026 16:30:00 +0700"
    with pytest.raises(ValueError, match="timezone-aware"):
        build_mime(mail(), "no-reply@rapat.example", date=NOW.replace(tzinfo=None))


def test_each_message_gets_its_own_message_id() -> None:
    first = build_mime(mail(), "no-reply@rapat.example", date=NOW)
    second = build_mime(mail(), "no-reply@rapat.example", date=NOW)
    assert first["Message-ID"] != second["Message-ID"]
