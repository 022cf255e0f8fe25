"""The `make bench` machinery on a small file: record shape and generated data, never timings."""
from __future__ import annotations

import csv
import json

import pytest
from python_calamine import CalamineWorkbook

from bench.data import HEADERS, report_file
from bench.run import Config, format_table, run, save, size_label

ROWS = 2_000
pytestmark = pytest.mark.slow  # a dozen subprocesses, each importing DuckDB


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> tuple[list[dict], object]:
    cache = tmp_path_factory.mktemp("bench-cache")
    return run(Config(csv_rows=ROWS, xlsx_rows=ROWS, repeats=1, cache_dir=cache), log=lambda message: None), cache


def test_generated_csv_has_the_asked_rows_in_amazon_layout(records):
    _, cache = records
    path = report_file("csv", ROWS, cache_dir=cache)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADERS
    assert rows[0][13] == "7 Day Total Sales "  # Amazon's trailing space, kept
    assert len(rows) - 1 == ROWS
    assert all(len(row) == len(HEADERS) for row in rows)
    first = rows[1]
    assert first[0] == "Feb 1, 2020"
    assert first[12].startswith("Rs.") and first[10].endswith("%")


def test_generated_xlsx_has_the_asked_rows(records):
    _, cache = records
    path = report_file("xlsx", ROWS, cache_dir=cache)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert tuple(rows[0]) == HEADERS
    assert len(rows) - 1 == ROWS


def test_cached_file_is_reused_not_rewritten(records):
    _, cache = records
    path = report_file("csv", ROWS, cache_dir=cache)
    before = path.stat().st_mtime_ns
    assert report_file("csv", ROWS, cache_dir=cache) == path
    assert path.stat().st_mtime_ns == before


def test_records_have_the_latest_json_shape(records, tmp_path):
    found, _ = records
    label = size_label(ROWS)
    assert label == "2k"
    assert [r["name"] for r in found] == [f"ingest_csv_{label}", f"ingest_xlsx_{label}",
                                          f"peak_memory_csv_{label}", f"peak_memory_xlsx_{label}"]
    for record in found:
        assert {"name", "ours_s", "baseline_s", "ratio", "target"} <= set(record)
        for key in ("ours_s", "baseline_s", "ratio", "target"):
            assert isinstance(record[key], (int, float)) and record[key] > 0, (record["name"], key)
        assert record["ratio"] == pytest.approx(record["ours_s"] / record["baseline_s"], rel=0.01)
        assert record["rows"] == ROWS
    for record in found[2:]:
        assert record["unit"] == "MB"
        assert record["peak_mb"] == record["ours_s"] and record["file_mb"] == record["baseline_s"]

    saved = json.loads(save(found, tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert saved == found


def test_table_names_every_figure_and_its_verdict(records):
    found, _ = records
    table = format_table(found)
    for record in found:
        line = next(line for line in table.splitlines() if line.startswith(record["name"]))
        assert line.rstrip().endswith("OK" if record["ok"] else "over")
