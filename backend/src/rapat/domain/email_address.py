"""One rule for an email address, shared by the API (what people may register with) and
the mailer (what it will send to), so that nothing is accepted that mail later refuses:
one plain ``local@domain``, no display name, no list, nothing to quote."""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"[^\s@<>(),;:\"\[\]\\]+@[\w-]+(\.[\w-]+)*")
MAX_ADDRESS_LENGTH = 254  # RFC 5321's limit on a forward path


def is_plain_address(value: str) -> bool:
    return len(value) <= MAX_ADDRESS_LENGTH and _ADDRESS.fullmatch(value) is not None


def is_deliverable_address(value: str) -> bool:
    """A plain address whose domain has a dot: what a person can be reached at on the
    internet (the mailer also sends from addresses like ``no-reply@localhost``)."""
    return is_plain_address(value) and "." in value.rpartition("@")[2]
