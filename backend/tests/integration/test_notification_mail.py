"""Meeting mail through a real SMTP server: the invitation carries the `.ics` file, and
the scheduler reminds members once, shortly before the meeting."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from rapat.bus.memory_kv import MemoryKeyValue
from rapat.services.reminders import ReminderService
from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker, runtime
from tests.integration.jobs_helpers import ScriptedInbox, free_port
from tests.integration.rooms_helpers import create_room, join
from tests.waiting import wait_until_sync


@pytest.fixture
def inbox() -> Iterator[tuple[str, ScriptedInbox]]:
    box = ScriptedInbox(lambda n: "250 OK")
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", box
    controller.stop()


def _wait(condition: Any, timeout: float = 20.0) -> None:
    wait_until_sync(condition, timeout, "the meeting mail", interval=0.05)


def _parts(message: Any) -> dict[str, Any]:
    return {part.get_content_type(): part for part in message.walk()}


def test_invitation_mail_has_text_html_and_ics(
    make_client: AppMaker, sqlite_url: str, inbox: tuple[str, ScriptedInbox]
) -> None:
    url, box = inbox
    client = make_client(sqlite_url, smtp_url=url, mail_from="Rapat <meet@rapat.example>")
    host = sign_up(client, "host", first_name="Hana")
    guest = sign_up(client, "guest", first_name="<Gus>")
    starts = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    room = create_room(client, host, name="Design review", scheduled_at=starts.isoformat())
    response = client.post(
        f"/api/v1/rooms/{room['id']}/invitations",
        json={"user_ids": [guest.user["id"]]},
        headers=host.headers,
    )
    assert response.status_code == 200, response.text
    _wait(lambda: any(m["Subject"] == "Invitation: Design review" for m in box.messages))
    [mail] = [m for m in box.messages if m["Subject"] == "Invitation: Design review"]
    assert mail["To"] == guest.email
    parts = _parts(mail)
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert "Hana Lim invited you" in text
    assert f"/r/{room['code']}" in text
    html = parts["text/html"].get_payload(decode=True).decode()
    assert "&lt;Gus&gt;" in html
    assert "<Gus>" not in html
    calendar = parts["text/calendar"]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_filename() == f"rapat-{room['code']}.ics"
    ics = calendar.get_payload(decode=True).decode()
    assert f"DTSTART:{starts.strftime('%Y%m%dT%H%M%SZ')}" in ics
    assert "SUMMARY:Design review" in ics


def test_members_are_reminded_once_before_the_meeting(
    make_client: AppMaker, database_url: str, inbox: tuple[str, ScriptedInbox]
) -> None:
    url, box = inbox
    client = make_client(database_url, smtp_url=url, reminder_minutes=15, reminder_scan_seconds=1)
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    soon = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    # Scheduled for later while the guest joins, then moved to soon: a scan that runs
    # between the room's creation and the join would remind the host alone.
    room = create_room(client, host, name="Standup", scheduled_at=later)
    create_room(client, host, name="Later", scheduled_at=later)
    assert join(client, guest, room).status_code == 200
    moved = client.put(
        f"/api/v1/rooms/{room['id']}", json={"scheduled_at": soon}, headers=host.headers
    )
    assert moved.status_code == 200, moved.text

    def reminders() -> list[Any]:
        return [m for m in box.messages if "Standup" in m["Subject"]]

    _wait(lambda: len(reminders()) == 2)
    assert {m["To"] for m in reminders()} == {host.email, guest.email}
    assert reminders()[0]["Subject"] == "Starting in 15 minutes: Standup"
    time.sleep(2.5)  # two more scans: nobody is reminded twice, the later meeting not yet
    assert len(reminders()) == 2
    assert not [m for m in box.messages if "Later" in m["Subject"]]
    [note] = client.get("/api/v1/notifications", headers=guest.headers).json()["items"]
    assert (note["type"], note["data"]["room_name"]) == ("meeting_reminder", "Standup")


def test_a_scheduler_dying_mid_way_leaves_nobody_unreminded(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    host, guest = sign_up(client, "host"), sign_up(client, "guest")
    # Due for a 120-minute reminder only, so the app's own 15-minute scan leaves it alone.
    starts = (datetime.now(UTC) + timedelta(minutes=60)).isoformat()
    room = create_room(client, host, name="Planning", scheduled_at=starts)
    assert join(client, guest, room).status_code == 200
    notifier = runtime(client).services.live.notifier
    leases = MemoryKeyValue()
    reminded: list[str] = []

    class DyingNotifier:
        async def remind(self, room_row: Any, user: Any, minutes: int) -> None:
            if reminded:
                await asyncio.Event().wait()  # stuck here until the "process" dies
            reminded.append(user.email)
            await notifier.remind(room_row, user, minutes)

    def service(target: Any) -> ReminderService:
        return ReminderService(
            runtime(client).resources.sessions, target, 120, leases=leases, lease_seconds=1.5
        )

    async def die_mid_way() -> None:
        # Cancelling the stuck scan is what a dying process looks like from the database.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(service(DyingNotifier()).send_due(), 0.3)

    client.portal.call(die_mid_way)
    assert len(reminded) == 1  # one member reminded, then the "process" died
    assert client.portal.call(service(notifier).send_due) == 0  # lease still held
    time.sleep(1.6)
    assert client.portal.call(service(notifier).send_due) == 1  # taken over, finished
    assert client.portal.call(service(notifier).send_due) == 0  # and never again
    for person in (host, guest):
        items = client.get("/api/v1/notifications", headers=person.headers).json()["items"]
        assert "meeting_reminder" in {item["type"] for item in items}, person.email
