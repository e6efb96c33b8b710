"""One address rule for the API and the mailer: whatever registration accepts, mail can
be sent to (the API used to accept addresses such as ``a[b@example.com`` that the
mailer then refused)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from rapat.api.schemas.common import Email
from rapat.mail.message import check_address

CANDIDATES = [
    "ana@example.com",
    "ana.lim+meet@sub.example.id",
    "o'brien@example.ie",
    "a[b@example.com",
    'a"b@example.com',
    "a(b)@example.com",
    "a,b@example.com",
    "a;b@example.com",
    "a<b@example.com",
    "a\\b@example.com",
    "a b@example.com",
    "ana@localhost",
    "ana@exa mple.com",
    "ana@@example.com",
    "x" * 250 + "@example.com",
]


class _Form(BaseModel):
    email: Email


@pytest.mark.parametrize("address", CANDIDATES)
def test_what_the_api_accepts_the_mailer_sends_to(address: str) -> None:
    try:
        accepted = _Form(email=address).email
    except ValidationError:
        return
    assert check_address(accepted) == accepted


def test_the_odd_ones_are_refused_at_the_edge() -> None:
    for address in ("a[b@example.com", 'a"b@example.com', "a,b@example.com", "ana@localhost"):
        with pytest.raises(ValidationError):
            _Form(email=address)
    assert _Form(email="  Ana.Lim+x@Example.COM ").email == "ana.lim+x@example.com"
