"""Dates that read two ways ("01/11/2026": 1 November day-first, 11 January month-first), through the command line.

The whole column decides (a value with a first part > 12 anywhere proves day-first, even past the sample the
format is detected on); a column no value decides takes the order the user gives (--date-order), else the order
of the country or currency the file names, else it is refused with a message naming --date-order. Each file is
a small generic order export written here; the expected days are written by hand.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import duckdb
import pytest

from shopdata import cli
from shopdata.ingest.transform import SAMPLE_SIZE


def export(path: Path, days: list[str], extra: dict[str, str] | None = None) -> Path:
    """An order export with one order per day written as in `days`, and `extra` columns (one value for all)."""
    extra = extra or {}
    lines = [",".join(["order_id", "order date", "amount", *extra])]
    lines += [",".join([f"O{n}", day, "10.00", *extra.values()]) for n, day in enumerate(days)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest(db: Path, path: Path, *extra: str) -> tuple[int, dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(["ingest", str(path), "--db", str(db), "--store", "S", *extra])
    (result,) = [json.loads(line) for line in out.getvalue().splitlines()]
    return code, result


def first_day(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.sql("SELECT strftime(order_date, '%Y-%m-%d') FROM orders WHERE order_id = 'O0'").fetchone()
    assert row is not None
    return row[0]


def test_a_day_past_the_sample_makes_the_whole_column_day_first(tmp_path: Path) -> None:
    days = ["01/11/2026"] * (SAMPLE_SIZE + 50) + ["13/11/2026"]
    code, result = ingest(tmp_path / "s.duckdb", export(tmp_path / "o.csv", days))
    assert (code, result["status"], result["rows_loaded"]) == (0, "loaded", len(days))
    assert first_day(tmp_path / "s.duckdb") == "2026-11-01"
    assert (result["date_from"], result["date_to"]) == ("2026-11-01", "2026-11-13")
    assert not result["warnings"]


def test_a_month_first_value_makes_the_column_month_first(tmp_path: Path) -> None:
    code, result = ingest(tmp_path / "s.duckdb", export(tmp_path / "o.csv", ["01/11/2026", "12/25/2026"]))
    assert (code, result["status"]) == (0, "loaded")
    assert first_day(tmp_path / "s.duckdb") == "2026-01-11"


def test_an_undecided_column_is_refused_naming_the_option(tmp_path: Path) -> None:
    code, result = ingest(tmp_path / "s.duckdb", export(tmp_path / "o.csv", ["01/11/2026", "02/11/2026"]))
    assert (code, result["status"]) == (2, "rejected")
    assert "--date-order dmy" in result["error"] and "--date-order mdy" in result["error"]
    assert "'order date'" in result["error"]


@pytest.mark.parametrize(("order", "day"), [("dmy", "2026-11-01"), ("mdy", "2026-01-11")])
def test_the_user_settles_an_undecided_column(tmp_path: Path, order: str, day: str) -> None:
    path = export(tmp_path / "o.csv", ["01/11/2026", "02/11/2026"])
    code, result = ingest(tmp_path / "s.duckdb", path, "--date-order", order)
    assert (code, result["status"]) == (0, "loaded")
    assert first_day(tmp_path / "s.duckdb") == day
    assert not result["warnings"]


@pytest.mark.parametrize(
    ("extra", "day"),
    [
        ({"currency": "MYR"}, "2026-11-01"),  # Malaysia writes day first
        ({"currency": "USD"}, "2026-01-11"),
        ({"Country": "United States"}, "2026-01-11"),
        ({"Country": "Thailand"}, "2026-11-01"),
    ],
)
def test_the_files_country_or_currency_settles_an_undecided_column(
    tmp_path: Path, extra: dict[str, str], day: str
) -> None:
    path = export(tmp_path / "o.csv", ["01/11/2026", "02/11/2026"], extra)
    code, result = ingest(tmp_path / "s.duckdb", path)
    assert (code, result["status"]) == (0, "loaded"), result["error"]
    assert first_day(tmp_path / "s.duckdb") == day
    (clue,) = extra.values()
    assert any("read both ways" in w and clue in w for w in result["warnings"]), result["warnings"]


def test_a_value_proven_by_the_data_wins_over_the_hint(tmp_path: Path) -> None:
    path = export(tmp_path / "o.csv", ["01/11/2026", "13/11/2026"], {"currency": "USD"})
    code, result = ingest(tmp_path / "s.duckdb", path, "--date-order", "mdy")
    assert (code, result["status"]) == (0, "loaded")
    assert first_day(tmp_path / "s.duckdb") == "2026-11-01"


def test_a_column_proving_both_orders_is_refused(tmp_path: Path) -> None:
    code, result = ingest(tmp_path / "s.duckdb", export(tmp_path / "o.csv", ["13/11/2026", "11/13/2026"]))
    assert (code, result["status"]) == (2, "rejected")
    assert "in one format" in result["error"]


def test_days_that_read_alike_both_ways_need_no_answer(tmp_path: Path) -> None:
    code, result = ingest(tmp_path / "s.duckdb", export(tmp_path / "o.csv", ["11/11/2026", "03/03/2026"]))
    assert (code, result["status"]) == (0, "loaded")
    assert first_day(tmp_path / "s.duckdb") == "2026-11-11"
