"""One contract for every Mailer: the development mailbox and SMTP against a real server.

The SMTP server is aiosmtpd running in the test's own event loop on a port the OS picks,
in four set-ups: plain, with AUTH, STARTTLS with required AUTH, and implicit TLS. The TLS
certificate is made at test time for 127.0.0.1 and trusted by the mailer alone.
"""

from __future__ import annotations

import asyncio
import email
import ssl
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage, MIMEPart
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from rapat.mail import (
    Attachment,
    DevMailbox,
    MailDeliveryError,
    Mailer,
    OutgoingMail,
    SmtpMailer,
    parse_smtp_url,
)

SENDER = "Rapat <no-reply@rapat.example>"
USER = "mailer@rapat.example"
PASSWORD = "s3cr@t:pw/ü%"  # characters that must survive percent-encoding in the URL
INVITE = Attachment(
    "invite.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
)


# --- a local SMTP server ---------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Recorder:
    """aiosmtpd handler: keeps every accepted message; can refuse recipients."""

    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (mechanism, user)
    refuse_recipients_with: str | None = None

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.refuse_recipients_with is not None:
            return self.refuse_recipients_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        if ok:
            self.logins.append((mechanism, USER))
        return AuthResult(success=ok, handled=False)  # let the server send 235 or 535


@asynccontextmanager
async def smtp_server(
    recorder: Recorder, *, ssl_context: ssl.SSLContext | None = None, **smtp_options: Any
) -> AsyncIterator[int]:
    """Serve on 127.0.0.1 and yield the port."""
    loop = asyncio.get_running_loop()

    def protocol() -> SMTP:
        with warnings.catch_warnings():
            # AUTH without TLS is what the plain-text variant tests on purpose.
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return SMTP(recorder, hostname="localhost", loop=loop, **smtp_options)

    server = await loop.create_server(protocol, "127.0.0.1", 0, ssl=ssl_context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


@dataclass(frozen=True)
class Certificate:
    server_context: ssl.SSLContext
    client_context: ssl.SSLContext  # trusts the certificate, as a private CA would be


def make_certificate(folder: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1, with contexts for both ends."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Rapat test mail server")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    (folder / "cert.pem").write_bytes(cert_pem)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    client_context = ssl.create_default_context(cadata=cert_pem.decode())
    return Certificate(server_context, client_context)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def smtp_url(scheme: str, port: int, *, login: bool = True) -> str:
    credentials = f"{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@" if login else ""
    return f"{scheme}://{credentials}127.0.0.1:{port}"


# --- the contract ----------------------------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    """What every mailer must deliver unchanged."""

    to: str
    subject: str
    text: str
    html: str | None
    attachments: tuple[str, ...]


@dataclass
class Harness:
    mailer: Mailer
    delivered: Callable[[], list[Delivered]]  # oldest first


def from_mime(message: EmailMessage) -> Delivered:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None

    def content(part: MIMEPart) -> str:
        # SMTP carries lines ending in CRLF; the product writes "\n".
        body = part.get_content()
        assert isinstance(body, str)
        return body.replace("\r\n", "\n")

    return Delivered(
        to=str(message["To"]),
        subject=str(message["Subject"]),
        text=content(text),
        html=None if html is None else content(html),
        attachments=tuple(part.get_filename() or "" for part in message.iter_attachments()),
    )


@asynccontextmanager
async def dev_setup() -> AsyncIterator[Harness]:
    box = DevMailbox()

    def delivered() -> list[Delivered]:
        return [
            Delivered(stored.to, stored.subject, stored.text, stored.html, stored.attachments)
            for stored in reversed(box.messages())
        ]

    yield Harness(box, delivered)
    await box.close()


SMTP_SETUPS = ["smtp", "smtp-auth", "smtp-starttls-auth", "smtps"]


@asynccontextmanager
async def smtp_setup(
    name: str, recorder: Recorder, certificate: Certificate
) -> AsyncIterator[SmtpMailer]:
    authenticator = recorder.authenticate
    if name == "smtp":
        server = smtp_server(recorder)
        scheme, login = "smtp", False
    elif name == "smtp-auth":
        server = smtp_server(
            recorder, authenticator=authenticator, auth_required=True, auth_require_tls=False
        )
        scheme, login = "smtp", True
    elif name == "smtp-starttls-auth":
        server = smtp_server(
            recorder,
            authenticator=authenticator,
            auth_required=True,
            tls_context=certificate.server_context,
            require_starttls=True,
        )
        scheme, login = "smtp+starttls", True
    else:
        # aiosmtpd counts only STARTTLS as TLS, so AUTH over implicit TLS needs this.
        server = smtp_server(
            recorder,
            ssl_context=certificate.server_context,
            authenticator=authenticator,
            auth_require_tls=False,
        )
        scheme, login = "smtps", True
    async with server as port:
        config = parse_smtp_url(smtp_url(scheme, port, login=login))
        mailer = SmtpMailer(config, SENDER, timeout=5, tls_context=certificate.client_context)
        yield mailer
        await mailer.close()


@pytest.fixture(params=["dev", *SMTP_SETUPS])
async def harness(
    request: pytest.FixtureRequest, certificate: Certificate
) -> AsyncIterator[Harness]:
    if request.param == "dev":
        async with dev_setup() as dev:
            yield dev
        return
    recorder = Recorder()
    async with smtp_setup(request.param, recorder, certificate) as mailer:
        yield Harness(mailer, lambda: [from_mime(r.message) for r in recorder.received])
    if recorder.received and request.param != "smtp":
        assert recorder.logins, "every set-up but plain smtp delivers only after logging in"


def rich_mail() -> OutgoingMail:
    return OutgoingMail(
        to="ayu@example.com",
        subject="Undangan rapat — Senin ✓",
        text="Halo Ayu,\n\nSilakan bergabung: https://rapat.example/r/abc?x=1&y=2\n",
        html='<p>Halo <b>Ayu</b>, <a href="https://rapat.example/r/abc?x=1&amp;y=2">gabung</a></p>\n',
        reply_to="host@example.org",
        attachments=(INVITE,),
    )


async def test_a_mail_arrives_unchanged(harness: Harness) -> None:
    await harness.mailer.send(rich_mail())
    sent = rich_mail()
    assert harness.delivered() == [
        Delivered(sent.to, sent.subject, sent.text, sent.html, ("invite.ics",))
    ]


async def test_a_text_only_mail_arrives_without_html(harness: Harness) -> None:
    await harness.mailer.send(OutgoingMail("budi@example.com", "Plain", "Only text.\n"))
    assert harness.delivered() == [Delivered("budi@example.com", "Plain", "Only text.\n", None, ())]


async def test_awkward_lines_survive(harness: Harness) -> None:
    # A lone dot ends an SMTP message unless escaped; "From " lines get mangled by some
    # tools; lines over 998 octets are illegal in SMTP unless the body is encoded.
    text = ".\n..double\n.hidden\nFrom me\n" + "x" * 1500 + "\n\tindent  \ntrailing space \n"
    await harness.mailer.send(OutgoingMail("ayu@example.com", "Lines", text))
    [delivered] = harness.delivered()
    assert delivered.text == text


async def test_mails_arrive_in_order(harness: Harness) -> None:
    for n in range(3):
        await harness.mailer.send(OutgoingMail(f"u{n}@example.com", f"Mail {n}", f"Body {n}\n"))
    assert [d.subject for d in harness.delivered()] == ["Mail 0", "Mail 1", "Mail 2"]


async def test_ping_succeeds_while_the_mailer_works(harness: Harness) -> None:
    await harness.mailer.ping()


async def test_after_close_nothing_is_sent(harness: Harness) -> None:
    await harness.mailer.send(OutgoingMail("ayu@example.com", "Before", "Before close\n"))
    await harness.mailer.close()
    await harness.mailer.close()  # idempotent
    with pytest.raises(MailDeliveryError, match="closed"):
        await harness.mailer.send(OutgoingMail("ayu@example.com", "After", "After close\n"))
    with pytest.raises(MailDeliveryError, match="closed"):
        await harness.mailer.ping()
    assert [d.subject for d in harness.delivered()] == ["Before"]
