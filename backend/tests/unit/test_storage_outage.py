"""Which exceptions the HTTP edge answers as a database outage (503), and which not (500)."""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa

from rapat.storage.outage import database_unreachable


def _raised(error: Exception) -> Exception:
    try:
        raise error
    except Exception as caught:
        return caught


def test_a_connection_that_died_under_a_statement_is_an_outage() -> None:
    died = sa.DBAPIError("SELECT 1", None, ConnectionError("closed"), connection_invalidated=True)
    assert database_unreachable(died)


def test_a_refused_statement_is_not_an_outage() -> None:
    refused = sa.DBAPIError("INSERT …", None, ValueError("invalid byte sequence"))
    assert not database_unreachable(refused)
    assert not database_unreachable(sa.IntegrityError("INSERT …", None, ValueError("dup")))


def test_no_free_pooled_connection_is_an_outage() -> None:
    assert database_unreachable(sa.TimeoutError("QueuePool limit reached"))


@pytest.mark.parametrize("error", [ConnectionRefusedError(111, "refused"), OSError("disk full")])
def test_an_os_error_from_outside_the_driver_is_not_the_databases(error: OSError) -> None:
    assert not database_unreachable(_raised(error))
