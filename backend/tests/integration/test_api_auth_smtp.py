"""With RAPAT_SMTP_URL set, account mail goes to a real SMTP server."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.integration.accounts_helpers import register, unique_email
from tests.integration.app_fixtures import AppMaker
from tests.waiting import wait_until_sync


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, _Inbox]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


def _wait_for(inbox: _Inbox, count: int) -> None:
    wait_until_sync(lambda: len(inbox.messages) >= count, 10, f"{count} mail(s) in the inbox")


def test_verification_mail_is_delivered_over_smtp(
    make_client: AppMaker, sqlite_url: str, smtp_server: tuple[str, _Inbox]
) -> None:
    url, inbox = smtp_server
    client = make_client(sqlite_url, smtp_url=url, mail_from="Rapat <meet@rapat.example>")
    address = unique_email()
    register(client, address, first_name="Ana")
    _wait_for(inbox, 1)
    message = inbox.messages[0]
    assert message["To"] == address
    assert "meet@rapat.example" in message["From"]
    assert message.is_multipart()
    parts = {part.get_content_type(): part for part in message.walk()}
    text = parts["text/plain"].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "/verify-email?token=" in text
    assert "text/html" in parts

    ready = client.get("/readyz").json()
    assert ready["checks"]["mail"] == "ok"
    assert client.get("/api/v1/dev/mailbox").status_code == 404


def test_unreachable_smtp_fails_readiness_but_not_registration(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, smtp_url=f"smtp://127.0.0.1:{_free_port()}")
    register(client, unique_email())  # the request does not wait for the mail server
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["details"]["checks"]["mail"] != "ok"
