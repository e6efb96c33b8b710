from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from rapat.storage.types import UTCDateTime, to_utc, utcnow

JAKARTA = timezone(timedelta(hours=7))
SQLITE = sqlite.dialect()
POSTGRES = postgresql.dialect()


def test_utcnow_is_aware_utc() -> None:
    assert utcnow().tzinfo is UTC


def test_to_utc_converts_other_zones() -> None:
    assert to_utc(datetime(2026, 1, 1, 7, 0, tzinfo=JAKARTA)) == datetime(2026, 1, 1, tzinfo=UTC)
    assert to_utc(datetime(2026, 1, 1, 7, 0, tzinfo=JAKARTA)).tzinfo is UTC


def test_to_utc_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        to_utc(datetime(2026, 1, 1))


def test_sqlite_receives_naive_utc() -> None:
    bound = UTCDateTime().process_bind_param(datetime(2026, 1, 1, 7, tzinfo=JAKARTA), SQLITE)
    assert bound == datetime(2026, 1, 1, 0, 0)


def test_postgres_receives_aware_utc() -> None:
    bound = UTCDateTime().process_bind_param(datetime(2026, 1, 1, 7, tzinfo=JAKARTA), POSTGRES)
    assert bound == datetime(2026, 1, 1, tzinfo=UTC)
    assert bound is not None
    assert bound.tzinfo is UTC


@pytest.mark.parametrize(
    "stored",
    [datetime(2026, 1, 1, 0, 0), datetime(2026, 1, 1, 7, 0, tzinfo=JAKARTA)],
    ids=["naive-from-sqlite", "aware-in-another-zone"],
)
def test_results_are_aware_utc(stored: datetime) -> None:
    result = UTCDateTime().process_result_value(stored, SQLITE)
    assert result == datetime(2026, 1, 1, tzinfo=UTC)
    assert result is not None
    assert result.tzinfo is UTC


def test_null_passes_through() -> None:
    column_type = UTCDateTime()
    assert column_type.process_bind_param(None, POSTGRES) is None
    assert column_type.process_result_value(None, SQLITE) is None
