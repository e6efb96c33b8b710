"""SmtpMailer beyond the shared contract: headers and envelope, login, TLS, and every way
delivery can fail, each ending as MailDeliveryError with the right ``temporary`` flag."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

import pytest

from rapat.mail import MailDeliveryError, OutgoingMail, SmtpConfig, SmtpMailer, parse_smtp_url
from tests.integration.test_mail_contract import (
    INVITE,
    SENDER,
    USER,
    Certificate,
    Recorder,
    make_certificate,
    smtp_server,
    smtp_url,
)

MAIL = OutgoingMail(
    "ayu@example.com",
    "Hello",
    "Text\n",
    html="<p>Html</p>\n",
    reply_to="host@example.org",
    attachments=(INVITE,),
)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def mailer(url: str, certificate: Certificate | None = None, timeout: float = 5) -> SmtpMailer:
    context = None if certificate is None else certificate.client_context
    return SmtpMailer(parse_smtp_url(url), SENDER, timeout=timeout, tls_context=context)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens once the probe is closed


async def test_envelope_and_headers() -> None:
    recorder = Recorder()
    async with smtp_server(recorder) as port:
        before = datetime.now(UTC).replace(microsecond=0)
        await mailer(smtp_url("smtp", port, login=False)).send(MAIL)
    [received] = recorder.received
    assert (received.mail_from, received.rcpt_tos) == (
        "no-reply@rapat.example",
        ["ayu@example.com"],
    )
    message = received.message
    assert message["From"] == SENDER
    assert (message["To"], message["Subject"], message["Reply-To"]) == (
        "ayu@example.com",
        "Hello",
        "host@example.org",
    )
    assert message["Message-ID"].endswith("@rapat.example>")
    sent_at = parsedate_to_datetime(message["Date"])
    assert before <= sent_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert message.get_content_type() == "multipart/mixed"
    [alternative, attachment] = message.iter_parts()
    assert isinstance(alternative, EmailMessage)
    assert isinstance(attachment, EmailMessage)
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_payload(decode=True) == INVITE.data


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
async def test_logs_in_with_the_decoded_url_credentials(mechanism: str) -> None:
    recorder = Recorder()
    others = [m for m in ("PLAIN", "LOGIN") if m != mechanism]
    async with smtp_server(
        recorder,
        authenticator=recorder.authenticate,
        auth_required=True,
        auth_require_tls=False,
        auth_exclude_mechanism=others,
    ) as port:
        await mailer(smtp_url("smtp", port)).send(MAIL)
    assert recorder.logins == [(mechanism, USER)]
    assert len(recorder.received) == 1


async def test_ping_does_not_log_in() -> None:
    recorder = Recorder()
    async with smtp_server(
        recorder, authenticator=recorder.authenticate, auth_required=True, auth_require_tls=False
    ) as port:
        await mailer(smtp_url("smtp", port)).ping()
    assert recorder.logins == []


async def test_wrong_password_is_a_permanent_failure() -> None:
    recorder = Recorder()
    async with smtp_server(
        recorder, authenticator=recorder.authenticate, auth_require_tls=False
    ) as port:
        config = parse_smtp_url(smtp_url("smtp", port))
        wrong = SmtpConfig(config.host, config.port, config.security, USER, "not-the-password")
        with pytest.raises(MailDeliveryError) as caught:
            await SmtpMailer(wrong, SENDER, timeout=5).send(MAIL)
    assert caught.value.temporary is False
    assert "not-the-password" not in str(caught.value)
    assert recorder.received == []


async def test_a_server_that_requires_login_refuses_a_mailer_without_credentials() -> None:
    recorder = Recorder()
    async with smtp_server(
        recorder, authenticator=recorder.authenticate, auth_required=True, auth_require_tls=False
    ) as port:
        with pytest.raises(MailDeliveryError, match="530") as caught:
            await mailer(smtp_url("smtp", port, login=False)).send(MAIL)
    assert caught.value.temporary is False
    assert recorder.received == []


@pytest.mark.parametrize(
    ("reply", "temporary"),
    [("550 5.1.1 No such user", False), ("451 4.3.0 Try again later", True)],
)
async def test_a_refused_recipient(reply: str, temporary: bool) -> None:
    recorder = Recorder(refuse_recipients_with=reply)
    async with smtp_server(recorder) as port:
        with pytest.raises(MailDeliveryError, match=reply.split(maxsplit=1)[0]) as caught:
            await mailer(smtp_url("smtp", port, login=False)).send(MAIL)
    assert caught.value.temporary is temporary
    assert recorder.received == []


async def test_nothing_listening_fails_fast_for_ping_and_send() -> None:
    broken = mailer(smtp_url("smtp", closed_port(), login=False), timeout=2)
    started = time.monotonic()
    with pytest.raises(
        MailDeliveryError, match=r"could not reach the mail server via 127\.0\.0\.1"
    ) as ping:
        await broken.ping()
    with pytest.raises(MailDeliveryError, match=r"could not send mail via 127\.0\.0\.1") as send:
        await broken.send(MAIL)
    assert time.monotonic() - started < 2
    assert ping.value.temporary
    assert send.value.temporary
    assert ping.value.__cause__ is not None  # the library's error stays available for logs


@pytest.fixture
async def silent_port() -> AsyncIterator[int]:
    """Accepts connections and never says a word (a hung or firewalled server)."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up and closes
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()


@pytest.mark.parametrize("operation", ["ping", "send"])
async def test_a_silent_server_times_out(silent_port: int, operation: str) -> None:
    slow = mailer(smtp_url("smtp", silent_port, login=False), timeout=0.3)
    started = time.monotonic()
    with pytest.raises(MailDeliveryError) as caught:
        await (slow.ping() if operation == "ping" else slow.send(MAIL))
    assert 0.25 <= time.monotonic() - started < 2
    assert caught.value.temporary


async def test_starttls_delivers_over_tls(tls: Certificate) -> None:
    recorder = Recorder()
    async with smtp_server(recorder, tls_context=tls.server_context, require_starttls=True) as port:
        await mailer(smtp_url("smtp+starttls", port, login=False), tls).send(MAIL)
    assert len(recorder.received) == 1


async def test_starttls_is_required_never_skipped() -> None:
    recorder = Recorder()
    async with smtp_server(recorder) as port:  # this server offers no STARTTLS
        with pytest.raises(MailDeliveryError, match="STARTTLS") as caught:
            await mailer(smtp_url("smtp+starttls", port, login=False)).send(MAIL)
    assert caught.value.temporary is False
    assert recorder.received == []


@pytest.mark.parametrize("scheme", ["smtps", "smtp+starttls"])
async def test_an_untrusted_certificate_is_refused(scheme: str, tls: Certificate) -> None:
    recorder = Recorder()
    if scheme == "smtps":
        server = smtp_server(recorder, ssl_context=tls.server_context)
    else:
        server = smtp_server(recorder, tls_context=tls.server_context)
    async with server as port:
        # No tls_context: the system's trusted certificates, which do not include ours.
        with pytest.raises(MailDeliveryError, match=r"CERTIFICATE_VERIFY_FAILED|certificate"):
            await mailer(smtp_url(scheme, port, login=False)).send(MAIL)
    assert recorder.received == []


def test_the_constructor_refuses_a_bad_sender_or_timeout() -> None:
    config = SmtpConfig("127.0.0.1", 25, "none")
    with pytest.raises(ValueError, match="sender"):
        SmtpMailer(config, "not an address")
    with pytest.raises(ValueError, match="timeout"):
        SmtpMailer(config, SENDER, timeout=0)
