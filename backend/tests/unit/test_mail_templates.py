"""Account mails: the link in both bodies, user input escaped in HTML, only web links."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import pytest

from rapat.mail import OutgoingMail, password_changed_mail, password_reset_mail, verification_mail
from rapat.mail.templates import BRAND_GREEN

TO = "ayu@example.com"
LINK = "https://rapat.example/verify-email?token=abc&next=%2Frooms"


def with_link(first_name: str, link: str = LINK) -> list[OutgoingMail]:
    return [
        verification_mail(TO, first_name, link, 24),
        password_reset_mail(TO, first_name, link, 30),
    ]


def all_mails(first_name: str) -> list[OutgoingMail]:
    return [*with_link(first_name), password_changed_mail(TO, first_name)]


@pytest.mark.parametrize("sent", with_link("Ayu"))
def test_the_link_is_in_both_bodies(sent: OutgoingMail) -> None:
    assert sent.html is not None
    assert LINK in sent.text
    assert f'href="{escape(LINK)}"' in sent.html
    assert BRAND_GREEN in sent.html


@pytest.mark.parametrize("sent", all_mails("Ayu"))
def test_every_mail_has_both_bodies_and_names_the_product(sent: OutgoingMail) -> None:
    assert sent.to == TO
    assert "Rapat" in sent.subject
    assert sent.html is not None
    assert sent.text.startswith("Hello Ayu,\n")
    assert "Hello Ayu," in sent.html
    assert sent.html.lstrip().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("sent", all_mails('<script>alert("x")</script> & Co'))
def test_the_first_name_is_escaped_in_html(sent: OutgoingMail) -> None:
    assert sent.html is not None
    assert "<script>" not in sent.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in sent.html
    assert '<script>alert("x")</script> & Co' in sent.text  # plain text needs no escaping


@pytest.mark.parametrize("sent", all_mails("  "))
def test_a_blank_first_name_gives_a_plain_greeting(sent: OutgoingMail) -> None:
    assert sent.text.startswith("Hello,\n")


def test_expiry_is_stated_in_words() -> None:
    assert "expires in 24 hours" in verification_mail(TO, "Ayu", LINK, 24).text
    assert "expires in 1 hour." in verification_mail(TO, "Ayu", LINK, 1).text
    assert "expires in 30 minutes" in password_reset_mail(TO, "Ayu", LINK, 30).text
    assert "expires in 1 minute " in password_reset_mail(TO, "Ayu", LINK, 1).text


@pytest.mark.parametrize(
    "build",
    [
        lambda: verification_mail(TO, "Ayu", LINK, 0),
        lambda: password_reset_mail(TO, "Ayu", LINK, -5),
    ],
)
def test_expiry_must_be_positive(build: Callable[[], OutgoingMail]) -> None:
    with pytest.raises(ValueError, match="at least one"):
        build()


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "/verify-email?token=abc",
        "ftp://rapat.example/x",
        "https://rapat.example/a b",
    ],
)
def test_only_absolute_web_links_are_accepted(link: str) -> None:
    with pytest.raises(ValueError, match="absolute http"):
        verification_mail(TO, "Ayu", link, 24)


def test_a_quote_in_a_link_cannot_leave_the_href() -> None:
    sent = verification_mail(TO, "Ayu", 'https://rapat.example/"><script>', 24)
    assert sent.html is not None
    assert "<script>" not in sent.html
    assert 'href="https://rapat.example/&quot;&gt;&lt;script&gt;"' in sent.html


def test_a_bad_recipient_is_refused() -> None:
    with pytest.raises(ValueError, match="recipient"):
        password_changed_mail("not-an-address", "Ayu")
