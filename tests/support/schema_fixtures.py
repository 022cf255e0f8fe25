"""Writes tests/fixtures/schema/v<N>.sql: a database as Shopdata version N left it, as plain SQL.

Each file creates the tables migrations 1..N create (from the frozen migrations, never from
shopdata.schema), the schema_version rows 1..N and the batch sequence, and puts two rows into every
table: one with a value in every column (text with a quote and Chinese, microsecond timestamps) and
one with some columns empty. tests/unit/test_migrations.py loads each file into DuckDB and PostgreSQL,
opens it with the current code and checks that every row is still there.

Run after appending a migration, to add the new version's file:

    .venv/bin/python -m tests.support.schema_fixtures

The files of earlier versions come out unchanged (their migrations are frozen); a test fails if they
ever would not. The lookup indexes of PostgreSQL are not in the files: they hold no data.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from shopdata.engine import quote_identifier
from shopdata.migrations import BATCH_SEQUENCE, SCHEMA_VERSION, SCHEMA_VERSION_TABLE, columns_at

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schema"
ROWS_PER_TABLE = 2
STORE_NAMES = ("Old shop", "O'Brien 旗舰店")
# Text columns the code reads as JSON: a value it can read back.
JSON_TEXT = {
    ("batches", "mapping"): '{"spend": "Cost"}',
    ("batches", "skipped_reasons"): '{"no figures": 2}',
    ("batches", "warnings"): '["1 row had no date"]',
    ("mappings", "mapping"): '{"spend": "Cost"}',
    ("settings", "value"): "0.35",
}
FIRST_DAY = date(2026, 1, 1)
FIRST_MOMENT = datetime(2026, 1, 2, 3, 4, 5, 123456)


def fixture_path(version: int) -> Path:
    return FIXTURES / f"v{version}.sql"


def _literal(table: str, column: str, sql_type: str, position: int, row: int) -> str:
    """The value of one cell, as a SQL literal both DuckDB and PostgreSQL read the same way. No '?' or
    '%' in text: the PostgreSQL engine turns '?' into its own placeholder."""
    if row == 1 and position % 4 == 3 and column not in ("store", "batch_id", "nk"):
        return "NULL"
    if column == "store" or (table == "stores" and column == "name"):
        text = STORE_NAMES[row]
    elif column == "batch_id":
        return str(row + 1)
    elif (table, column) in JSON_TEXT:
        text = JSON_TEXT[(table, column)]
    elif sql_type == "TEXT":
        text = f"{table}.{column} #{row}" + (" — 店铺 'quoted'" if row == 1 else "")
    elif sql_type == "DOUBLE PRECISION":
        return f"{position + 100 * row + 0.25}"  # exact in binary
    elif sql_type in ("BIGINT", "INTEGER"):
        return str(1000 * row + position)
    elif sql_type == "DATE":
        return f"DATE '{FIRST_DAY + timedelta(days=position + 40 * row)}'"
    elif sql_type == "TIMESTAMP":
        moment = FIRST_MOMENT + timedelta(days=row, hours=position)
        return f"TIMESTAMP '{moment.isoformat(sep=' ')}'"
    elif sql_type == "BOOLEAN":
        return "TRUE" if row == 0 else "FALSE"
    else:
        raise ValueError(f"no fixture value for the type {sql_type}")
    return "'" + text.replace("'", "''") + "'"


def fixture_sql(version: int) -> str:
    lines = [
        f"-- A database as Shopdata left it at schema version {version}, with rows in every table.",
        "-- Made by tests/support/schema_fixtures.py; do not edit by hand.",
        f"{SCHEMA_VERSION_TABLE.sql()};",
    ]
    lines += [
        f"INSERT INTO {quote_identifier(SCHEMA_VERSION_TABLE.table)} (version, applied_at) "
        f"VALUES ({v}, TIMESTAMP '{FIRST_MOMENT + timedelta(days=v)}');"
        for v in range(1, version + 1)
    ]
    tables = columns_at(version)
    for table, columns in tables.items():
        listed = ", ".join(f"{quote_identifier(name)} {sql_type}" for name, sql_type in columns.items())
        lines.append(f"CREATE TABLE {quote_identifier(table)} ({listed});")
    if "batches" in tables:
        lines.append(f"CREATE SEQUENCE {quote_identifier(BATCH_SEQUENCE)} START {ROWS_PER_TABLE + 1};")
    for table, columns in tables.items():
        names = ", ".join(quote_identifier(name) for name in columns)
        for row in range(ROWS_PER_TABLE):
            values = ", ".join(
                _literal(table, name, sql_type, position, row)
                for position, (name, sql_type) in enumerate(columns.items())
            )
            lines.append(f"INSERT INTO {quote_identifier(table)} ({names}) VALUES ({values});")
    return "\n".join(lines) + "\n"


def statements(sql: str) -> list[str]:
    """The statements of a fixture file: one per line, comments skipped."""
    return [line.rstrip(";") for line in sql.splitlines() if line.strip() and not line.startswith("--")]


def main() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for version in range(1, SCHEMA_VERSION + 1):
        path = fixture_path(version)
        text = fixture_sql(version)
        if path.exists() and path.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{path} would change: a released migration was edited (append a new one instead)")
        path.write_text(text, encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
