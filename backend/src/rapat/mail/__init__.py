"""Outgoing mail: the messages the product sends and the two ways to deliver them.

``DevMailbox`` keeps them in memory (development, tests); ``SmtpMailer`` sends them
through an SMTP server (production). Both satisfy ``Mailer``; ``templates`` builds the
account mails.
"""

from rapat.mail.dev_mailbox import DevMailbox, StoredMail
from rapat.mail.errors import MailDeliveryError
from rapat.mail.interfaces import Mailer
from rapat.mail.message import Attachment, OutgoingMail
from rapat.mail.smtp import SmtpConfig, SmtpMailer, parse_smtp_url
from rapat.mail.templates import password_changed_mail, password_reset_mail, verification_mail

__all__ = [
    "Attachment",
    "DevMailbox",
    "MailDeliveryError",
    "Mailer",
    "OutgoingMail",
    "SmtpConfig",
    "SmtpMailer",
    "StoredMail",
    "parse_smtp_url",
    "password_changed_mail",
    "password_reset_mail",
    "verification_mail",
]
