"""Migration rules no test checked until a mutation run (`make mutation MODULES=migrations`) changed them
unnoticed: a migration step written wrong is refused when it is made, and an up-to-date database is opened
without the migration lock."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from shopdata.backup import backup_before_migration
from shopdata.engine import connect
from shopdata.migrations import SCHEMA_VERSION, AddColumn, CreateTable, migrate

TYPES = "['BIGINT', 'BOOLEAN', 'DATE', 'DOUBLE PRECISION', 'INTEGER', 'TEXT', 'TIMESTAMP']"


def test_a_step_with_an_unknown_type_or_a_bad_name_is_refused_when_written() -> None:
    assert CreateTable("notes_v2", "id BIGINT, body TEXT").columns == (("id", "BIGINT"), ("body", "TEXT"))
    with pytest.raises(ValueError) as refused:
        CreateTable("notes_v2", "id BIGINT, body BLOB")
    assert str(refused.value) == f"column body: 'BLOB' is not one of {TYPES}"
    with pytest.raises(ValueError, match="^column score: 'REAL' is not one of"):
        AddColumn("ads", "score", "REAL")
    with pytest.raises(ValueError):
        CreateTable("notes; DROP TABLE ads", "id BIGINT")
    with pytest.raises(ValueError):
        AddColumn("ads; DROP TABLE ads", "score", "DOUBLE PRECISION")


def test_an_up_to_date_database_opens_without_the_migration_lock(tmp_path) -> None:
    engine = connect(str(tmp_path / "shop.duckdb"))
    try:
        assert migrate(engine, backup_before_migration) == 0  # a new database: every migration
        locked: list[str] = []

        @contextlib.contextmanager
        def recording_lock() -> Iterator[None]:
            locked.append("warehouse")
            yield

        engine.warehouse_exclusive = recording_lock  # type: ignore[method-assign]  # recorded, not taken
        assert migrate(engine, backup_before_migration) == SCHEMA_VERSION
        assert locked == []
    finally:
        engine.close()
