"""parse_smtp_url: the three schemes, their default ports, credentials, and clear refusals."""

from __future__ import annotations

import pytest

from rapat.mail import SmtpConfig, parse_smtp_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.com", SmtpConfig("mail.example.com", 25, "none")),
        ("smtps://mail.example.com", SmtpConfig("mail.example.com", 465, "tls")),
        ("smtp+starttls://mail.example.com", SmtpConfig("mail.example.com", 587, "starttls")),
        ("SMTP://mail.example.com:2525/", SmtpConfig("mail.example.com", 2525, "none")),
        ("smtp://[::1]:1025", SmtpConfig("::1", 1025, "none")),
        (
            "smtp+starttls://apikey:s3cr%40t%3Aa%2Fb@smtp.example.com:587",
            SmtpConfig("smtp.example.com", 587, "starttls", "apikey", "s3cr@t:a/b"),
        ),
        (
            "smtps://me%40example.com:pw@smtp.example.com",
            SmtpConfig("smtp.example.com", 465, "tls", "me@example.com", "pw"),
        ),
    ],
)
def test_valid_urls(url: str, expected: SmtpConfig) -> None:
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.com", r"must start with one of smtp://, smtp\+starttls://, smtps://"),
        ("mail.example.com:25", "must start with one of"),
        ("", "must start with one of"),
        ("smtp://", "has no host"),
        ("smtp://user:pw@:25", "has no host"),
        ("smtp://mail.example.com:notaport", "invalid port"),
        ("smtp://mail.example.com:70000", "invalid port"),
        ("smtp://mail.example.com/inbox", "must not have a path"),
        ("smtp://mail.example.com?tls=1", "must not have a path"),
        ("smtp://user@mail.example.com", "both a user name and a password"),
        ("smtp://:pw@mail.example.com", "both a user name and a password"),
    ],
)
def test_invalid_urls_say_what_is_wrong(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_smtp_url(url)


def test_the_password_never_shows_in_the_config_repr() -> None:
    config = parse_smtp_url("smtps://user:hunter2@mail.example.com")
    assert "hunter2" not in repr(config)
    assert config.password == "hunter2"
