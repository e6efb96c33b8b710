"""DevMailbox: bounded, newest first, addressable by id, and logged with its text body."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from structlog.testing import capture_logs

from rapat.mail import Attachment, DevMailbox, MailDeliveryError, OutgoingMail


def numbered(n: int) -> OutgoingMail:
    return OutgoingMail(to=f"user{n}@example.com", subject=f"Mail {n}", text=f"Body {n}")


class StepClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


async def test_messages_are_newest_first_with_their_fields() -> None:
    clock = StepClock()
    box = DevMailbox(now=clock)
    invite = Attachment("invite.ics", "text/calendar", b"x")
    await box.send(numbered(1))
    await box.send(
        OutgoingMail("ayu@example.com", "Rich", "Plain", html="<p>Rich</p>", attachments=(invite,))
    )
    newest, oldest = box.messages()
    assert (newest.to, newest.subject, newest.text, newest.html) == (
        "ayu@example.com",
        "Rich",
        "Plain",
        "<p>Rich</p>",
    )
    assert newest.attachments == ("invite.ics",)
    assert (oldest.subject, oldest.html, oldest.attachments) == ("Mail 1", None, ())
    assert newest.created_at == clock.now
    assert oldest.created_at == clock.now - timedelta(seconds=1)
    assert uuid.UUID(newest.id) != uuid.UUID(oldest.id)


async def test_created_at_defaults_to_aware_utc() -> None:
    box = DevMailbox()
    await box.send(numbered(1))
    assert box.messages()[0].created_at.utcoffset() == timedelta(0)


async def test_only_the_latest_messages_are_kept() -> None:
    box = DevMailbox(capacity=3)
    for n in range(5):
        await box.send(numbered(n))
    assert [stored.subject for stored in box.messages()] == ["Mail 4", "Mail 3", "Mail 2"]


async def test_default_capacity_is_200() -> None:
    box = DevMailbox()
    for n in range(205):
        await box.send(numbered(n))
    kept = box.messages()
    assert len(kept) == 200
    assert (kept[0].subject, kept[-1].subject) == ("Mail 204", "Mail 5")


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        DevMailbox(capacity=0)


async def test_get_and_clear() -> None:
    box = DevMailbox()
    await box.send(numbered(1))
    stored = box.messages()[0]
    assert box.get(stored.id) == stored
    assert box.get(str(uuid.uuid4())) is None
    box.clear()
    assert box.messages() == []
    assert box.get(stored.id) is None


async def test_messages_returns_a_copy() -> None:
    box = DevMailbox()
    await box.send(numbered(1))
    box.messages().clear()
    assert len(box.messages()) == 1


async def test_each_message_is_logged_with_its_text_so_links_show_in_the_console() -> None:
    box = DevMailbox()
    with capture_logs() as logs:
        await box.send(numbered(7))
    [entry] = logs
    assert entry["log_level"] == "info"
    assert (entry["to"], entry["subject"], entry["text"]) == (
        "user7@example.com",
        "Mail 7",
        "Body 7",
    )
    assert entry["mail_id"] == box.messages()[0].id


async def test_closed_mailbox_refuses_to_send_but_keeps_what_it_has() -> None:
    box = DevMailbox()
    await box.send(numbered(1))
    await box.close()
    await box.close()
    with pytest.raises(MailDeliveryError, match="closed"):
        await box.send(numbered(2))
    with pytest.raises(MailDeliveryError, match="closed"):
        await box.ping()
    assert [stored.subject for stored in box.messages()] == ["Mail 1"]
