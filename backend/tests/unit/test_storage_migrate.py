from __future__ import annotations

import io

import pytest
from alembic import command
from sqlalchemy import Column, Index, Integer, MetaData, String, Table, create_engine
from sqlalchemy.schema import DefaultClause

from rapat.storage import migrate


def test_scripts_ship_inside_the_package() -> None:
    for name in ("env.py", "script.py.mako", "versions/0001_initial.py"):
        assert (migrate.MIGRATIONS_DIR / name).is_file(), name


def test_config_needs_no_ini_file_and_keeps_percent_signs() -> None:
    url = "postgresql+asyncpg://rapat:p%40ss@db/rapat"
    config = migrate.alembic_config(url)
    assert config.config_file_name is None
    assert config.get_main_option("sqlalchemy.url") == url
    assert config.get_main_option("script_location") == str(migrate.MIGRATIONS_DIR)


def test_offline_mode_writes_the_sql() -> None:
    config = migrate.alembic_config("postgresql+asyncpg://rapat@db/rapat")
    config.output_buffer = io.StringIO()
    command.upgrade(config, "head", sql=True)
    sql = config.output_buffer.getvalue()
    assert "CREATE TABLE users" in sql
    assert "CONSTRAINT ck_rooms_status CHECK" in sql
    assert "INSERT INTO alembic_version (version_num) VALUES ('0001')" in sql


table = Table(
    "rooms",
    MetaData(),
    Column("max_users", Integer),
    Column("name", String(10)),
    Index("ix_rooms_name", "name"),
)


def test_describe_difference() -> None:
    assert migrate.describe_difference(("add_table", table)) == "add_table: table rooms"
    assert (
        migrate.describe_difference(("remove_column", None, "rooms", table.c.name))
        == "remove_column: rooms, column rooms.name"
    )
    assert (
        migrate.describe_difference(("add_index", next(iter(table.indexes))))
        == "add_index: Index ix_rooms_name"
    )


def test_describe_a_modification_and_a_group() -> None:
    modified = [
        ("modify_type", None, "rooms", "name", {}, String(80), String(100)),
        ("modify_default", None, "rooms", "max_users", {}, DefaultClause("5"), None),
    ]
    assert migrate.describe_difference(modified) == (
        "modify_type: rooms.name: VARCHAR(80) -> VARCHAR(100); "
        "modify_default: rooms.max_users: DEFAULT 5 -> None"
    )


def test_a_migration_that_breaks_foreign_keys_on_sqlite_is_refused() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY)")
        connection.exec_driver_sql(
            "CREATE TABLE rooms (id INTEGER PRIMARY KEY, host_id INTEGER REFERENCES users (id))"
        )
        connection.exec_driver_sql("INSERT INTO rooms VALUES (1, 42)")
        with pytest.raises(migrate.MigrationError, match="foreign keys broken"):
            migrate._verify_sqlite_foreign_keys(connection)
    engine.dispose()
