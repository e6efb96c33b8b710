"""Declarative base, constraint naming, and the columns every table shares."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import MetaData, Uuid, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.schema import CallableColumnDefault, ColumnDefault, ScalarElementColumnDefault

from rapat.storage.types import UTCDateTime, utcnow

# Every constraint and index gets a predictable name, so migrations render the same DDL on
# SQLite and PostgreSQL and a later migration can drop a constraint by name.
NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}


class Base(DeclarativeBase):
    """Base of every table.

    Relationships are child -> parent only (many-to-one) and `lazy="raise"`: they make the
    unit of work insert parents first and let a new row point at a new parent, while reading
    one needs an explicit eager load, never hidden I/O. Deleting is the database's job
    (ON DELETE CASCADE / SET NULL), so there are no parent -> children collections.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __init__(self, **values: Any) -> None:
        # Apply the Python-side defaults now rather than at flush, so a new object is complete
        # at once: its id can link other new rows, its meeting code can be shown.
        for key, default in _python_defaults(type(self)).items():
            if key not in values:
                values[key] = _default_value(default)
        # The registry's constructor is what DeclarativeBase would have used as __init__.
        self.registry.constructor(self, **values)


@cache
def _python_defaults(model: type[Base]) -> dict[str, ColumnDefault]:
    defaults: dict[str, ColumnDefault] = {}
    for attribute in model.__mapper__.column_attrs:
        default = attribute.columns[0].default
        if isinstance(default, ScalarElementColumnDefault | CallableColumnDefault):
            defaults[attribute.key] = default
    return defaults


def _default_value(default: ColumnDefault) -> Any:
    if isinstance(default, CallableColumnDefault):
        # Our default functions (uuid4, utcnow, ...) take no statement context.
        return cast(Callable[[None], Any], default.arg)(None)
    return default.arg


def one_of(column: str, values: Iterable[str]) -> str:
    """SQL for a CHECK that keeps `column` inside a fixed set of strings."""
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"{column} IN ({quoted})"


class UuidPrimaryKey:
    # Generated in Python so both databases behave alike and new objects have an id at once.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4, sort_order=-1)


class CreatedAt:
    # The Python default gives microsecond precision on both databases; the server default
    # covers rows written by hand-made SQL.
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.now(), sort_order=1
    )


class Timestamps(CreatedAt):
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=func.now(), sort_order=2
    )
