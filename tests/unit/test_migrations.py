"""Frozen migrations: they build exactly the tables of shopdata.schema, and a database made by any earlier
version upgrades without losing a row — on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from shopdata.backup import BACKUP_DIR_ENV, schema_at
from shopdata.engine import Engine, connect
from shopdata.migrations import MIGRATIONS, SCHEMA_VERSION, applied_version, migrate
from shopdata.schema import META_TABLES, ROLLUP_TABLES, TABLES
from shopdata.store import BatchInfo, Warehouse, open_warehouse
from tests.support.schema_fixtures import fixture_path, fixture_sql, statements

EVERY_TABLE = {**META_TABLES, **TABLES, **ROLLUP_TABLES}


def refuse_to_back_up(engine: Engine, found_version: int) -> None:
    raise AssertionError(f"a new database needs no backup (found version {found_version})")


def tables_in(engine: Engine) -> set[str]:
    return {
        row[0]
        for row in engine.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).rows
    }


def assert_matches_the_schema(engine: Engine) -> None:
    """Every table of shopdata.schema, and no other, with its columns' names and types in order."""
    assert tables_in(engine) == set(EVERY_TABLE)
    for name, table in EVERY_TABLE.items():
        assert engine.column_types(name) == [(c.name, c.type) for c in table.columns], name


def test_the_migrations_are_numbered_one_by_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert SCHEMA_VERSION == len(MIGRATIONS)


def test_running_every_migration_builds_the_tables_of_the_schema(warehouse_url: str) -> None:
    with connect(warehouse_url) as engine:
        assert migrate(engine, refuse_to_back_up) == 0
        assert applied_version(engine) == SCHEMA_VERSION
        assert_matches_the_schema(engine)


def test_lookup_indexes_exist_where_the_database_needs_them(warehouse_url: str) -> None:
    with connect(warehouse_url) as engine:
        migrate(engine, refuse_to_back_up)
        if engine.database_file() is None:  # PostgreSQL: loads and deletes look rows up by key and batch
            found = {r[0] for r in engine.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'").rows}
            assert found == {f"{t}_{what}" for t in TABLES for what in ("nk", "batch")} | {
                f"{t}_day" for t in ROLLUP_TABLES
            }
        else:  # DuckDB: none, they would slow every bulk insert
            assert engine.execute("SELECT count(*) FROM duckdb_indexes()").scalar() == 0


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_schema_at_answers_what_a_database_of_that_version_holds(version: int) -> None:
    """schema_at reads the migrations' steps without a database; here they run in one (DuckDB: the
    backup files whose columns schema_at describes are DuckDB files)."""
    with connect(":memory:") as engine:
        for migration in MIGRATIONS[:version]:
            for step in migration.steps:
                step.apply(engine)
        found: dict[str, dict[str, str]] = {}
        for table, column, data_type in engine.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "ORDER BY table_name, ordinal_position"
        ).rows:
            found.setdefault(table, {})[column] = data_type
    assert schema_at(version) == found
    assert list(schema_at(version)["batches"]) == list(found["batches"])  # in column order


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_each_fixture_is_what_the_frozen_migrations_of_its_version_make(version: int) -> None:
    """A released migration edited in place (instead of a new one appended) changes its version's file."""
    assert fixture_path(version).read_text(encoding="utf-8") == fixture_sql(version)


def fixture_rows(version: int) -> dict[str, tuple[list[str], list[tuple]]]:
    """table -> (columns, rows) of a fixture, read by DuckDB alone, without Shopdata."""
    with duckdb.connect() as con:
        for statement in statements(fixture_path(version).read_text(encoding="utf-8")):
            con.execute(statement)
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        contents = {}
        for name in names:
            cursor = con.execute(f'SELECT * FROM "{name}"')
            columns = [d[0] for d in cursor.description]
            contents[name] = (columns, cursor.fetchall())
    return contents


def sorted_rows(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=repr)  # not ORDER BY: the two databases collate text differently


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_a_database_of_every_version_upgrades_keeping_every_row(
    version: int, warehouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups = tmp_path / "backups"
    monkeypatch.setenv(BACKUP_DIR_ENV, str(backups))
    before = fixture_rows(version)
    assert all(len(rows) == 2 for name, (_, rows) in before.items() if name != "schema_version")
    with connect(warehouse_url) as engine:
        for statement in statements(fixture_path(version).read_text(encoding="utf-8")):
            engine.execute(statement)

    warehouse = open_warehouse(warehouse_url)
    try:
        engine = warehouse.engine
        assert_matches_the_schema(engine)
        for name, (columns, rows) in before.items():
            if name == "schema_version":
                continue
            listed = ", ".join(f'"{c}"' for c in columns)
            assert sorted_rows(engine.execute(f'SELECT {listed} FROM "{name}"').rows) == sorted_rows(rows), name
        versions = engine.execute("SELECT version FROM schema_version").rows
        assert sorted(versions) == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
        # An older database was copied aside before it changed; the current one needed no change.
        assert len(list(backups.glob(f"before-migration-{version}-to-{SCHEMA_VERSION}-*"))) == (
            1 if version < SCHEMA_VERSION else 0
        )
        # It works as a warehouse: its batches read back, and a new upload gets a batch id of its own.
        assert sorted(b["batch_id"] for b in warehouse.batches()) == [1, 2]
        loaded = warehouse.load(
            BatchInfo("Old shop", "new.csv", "sha-new", 1, "meta", "ads", "meta_ads", {"spend": "Amount spent"}),
            pa.table(
                {
                    "platform": ["meta"],
                    "nk": ["nk-new"],
                    "date": [date(2026, 3, 1)],
                    "end_date": [date(2026, 3, 1)],
                    "grain": ["campaign"],
                    "spend": [5.0],
                }
            ),
        )
        assert loaded.batch_id == 3 and loaded.rows_replaced == 0
        assert warehouse.count_rows("ads") == 3
    finally:
        warehouse.engine.close()


def test_a_warehouse_constructed_on_an_open_engine_migrates_too(warehouse_url: str) -> None:
    with connect(warehouse_url) as engine:
        Warehouse(engine)
        assert applied_version(engine) == SCHEMA_VERSION
        assert_matches_the_schema(engine)
