"""The account mails, as pure functions: each returns a plain-text and an HTML body.

Links come from the caller (built from the public URL). Every value a user chose, such
as a first name, is escaped before it goes into HTML; the HTML is inline-styled with
tables because mail clients ignore style sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from rapat.mail.message import OutgoingMail

PRODUCT_NAME = "Rapat"
BRAND_GREEN = "#15803d"
_TEXT_GREY = "#374151"
_MUTED_GREY = "#6b7280"
_PAGE_GREY = "#f3f4f6"


@dataclass(frozen=True, slots=True)
class _Button:
    label: str
    link: str


def verification_mail(to: str, first_name: str, link: str, expires_hours: int) -> OutgoingMail:
    _check_link(link)
    expiry = _duration(expires_hours, "hour")
    intro = f"Welcome to {PRODUCT_NAME}! Please confirm your email address to finish signing up."
    notice = (
        f"The link expires in {expiry}. If you did not create a {PRODUCT_NAME} account, "
        "you can ignore this email."
    )
    return _mail(
        to,
        subject=f"Confirm your email address for {PRODUCT_NAME}",
        first_name=first_name,
        paragraphs=(intro,),
        button=_Button("Confirm email address", link),
        notice=notice,
    )


def password_reset_mail(to: str, first_name: str, link: str, expires_minutes: int) -> OutgoingMail:
    _check_link(link)
    expiry = _duration(expires_minutes, "minute")
    intro = f"Someone asked to reset the password of your {PRODUCT_NAME} account."
    notice = (
        f"The link expires in {expiry} and works once. If you did not ask for this, "
        "ignore this email: your password stays as it is."
    )
    return _mail(
        to,
        subject=f"Reset your {PRODUCT_NAME} password",
        first_name=first_name,
        paragraphs=(intro,),
        button=_Button("Choose a new password", link),
        notice=notice,
    )


def password_changed_mail(to: str, first_name: str) -> OutgoingMail:
    intro = f"The password of your {PRODUCT_NAME} account was just changed."
    notice = (
        "If this was you, there is nothing more to do. If it was not, reset your password "
        "right away from the sign-in page and contact your administrator."
    )
    return _mail(
        to,
        subject=f"Your {PRODUCT_NAME} password was changed",
        first_name=first_name,
        paragraphs=(intro,),
        button=None,
        notice=notice,
    )


def _mail(
    to: str,
    *,
    subject: str,
    first_name: str,
    paragraphs: tuple[str, ...],
    button: _Button | None,
    notice: str,
) -> OutgoingMail:
    greeting = f"Hello {first_name.strip()}," if first_name.strip() else "Hello,"
    return OutgoingMail(
        to=to,
        subject=subject,
        text=_text(greeting, paragraphs, button, notice),
        html=_html(subject, greeting, paragraphs, button, notice),
    )


def _text(greeting: str, paragraphs: tuple[str, ...], button: _Button | None, notice: str) -> str:
    blocks = [greeting, *paragraphs]
    if button is not None:
        blocks.append(f"{button.label}:\n{button.link}")
    blocks += [notice, f"— {PRODUCT_NAME}"]
    return "\n\n".join(blocks) + "\n"


def _html(
    title: str, greeting: str, paragraphs: tuple[str, ...], button: _Button | None, notice: str
) -> str:
    p_style = f"margin:0 0 16px;font-size:16px;line-height:24px;color:{_TEXT_GREY}"
    body = [f'<p style="{p_style}">{escape(text)}</p>' for text in (greeting, *paragraphs)]
    if button is not None:
        body.append(_html_button(button))
    body.append(
        f'<p style="margin:0;font-size:14px;line-height:20px;color:{_MUTED_GREY}">'
        f"{escape(notice)}</p>"
    )
    content = "\n".join(body)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{escape(title)}</title></head>
<body style="margin:0;padding:0;background:{_PAGE_GREY};font-family:Arial,Helvetica,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" \
style="background:{_PAGE_GREY};padding:24px 0">
<tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" \
style="max-width:560px;background:#ffffff;border-radius:8px;padding:32px">
<tr><td>
<p style="margin:0 0 24px;font-size:22px;font-weight:bold;color:{BRAND_GREEN}">\
{PRODUCT_NAME}</p>
{content}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""


def _html_button(button: _Button) -> str:
    href = escape(button.link, quote=True)
    return (
        f'<p style="margin:24px 0"><a href="{href}" style="display:inline-block;'
        f"background:{BRAND_GREEN};color:#ffffff;text-decoration:none;font-weight:bold;"
        f'font-size:16px;padding:12px 24px;border-radius:6px">{escape(button.label)}</a></p>\n'
        f'<p style="margin:0 0 16px;font-size:14px;line-height:20px;color:{_MUTED_GREY}">'
        "If the button does not work, copy this link into your browser:<br>"
        f'<a href="{href}" style="color:{BRAND_GREEN};word-break:break-all">{escape(button.link)}'
        "</a></p>"
    )


def _check_link(link: str) -> None:
    """Only web links: anything else in a mail (``javascript:``, a bare path) is a bug."""
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in link):
        raise ValueError(f"link must be an absolute http(s) URL, got {link!r}")


def _duration(amount: int, unit: str) -> str:
    if amount < 1:
        raise ValueError(f"expiry must be at least one {unit}")
    return f"{amount} {unit}" if amount == 1 else f"{amount} {unit}s"
