"""Issue 9, items 2 and 14: an upload's body is parsed only in the limited worker.

A 4.3 MB CSV whose first lines are harmless, then rows of 20,000 trailing empty fields with LF and CRLF
mixed, took the server from 274 MB to 2.9 GB: the guard looked at the first 4 MB / 1,000 lines, and the
body was parsed in the server process (DuckDB gave up on the mixed line ends; the csv-module fallback kept
the wide rows and zip_longest materialised them). These files go through the function the Data page uses
(plan_file with the page's reader, then prepare_plan) while the test process's peak RSS is watched.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from shopdata.errors import ReadError
from shopdata.ingest import read as read_module
from shopdata.ingest.guard import DEFAULT_LIMITS
from shopdata.ingest.pipeline import Options, plan_file, prepare_plan
from shopdata.ui.upload import read_upload

HEADER = b"Date,Campaign,Impressions,Clicks,Spend\n"  # LF, the rows below CRLF: DuckDB's reader gives up
ROW = b"2026-05-%02d,Brand %d,%d,%d,%d.5"
# The server process may grow by this much while a 4 MB file is analysed: the upload's bytes (4 MB), the
# worker's answer as Arrow (at most about twice the text) and the cleaning of its rows in DuckDB: 71 MB
# measured for the 131,640 real rows of crafted(0), 6 MB for the wide files, whose rows are few. The code
# before the fix grew it by 148 MB (9,000 empty fields) and 249 MB (20,000) on the same calls, parsing
# the body itself; a server that parses nothing stays far below.
RSS_BOUND_MB = 100


def _status(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1)) * 1024  # type: ignore[union-attr]


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (peak RSS) to the current RSS


def crafted(trailing_fields: int, size: int = 4_300_000, plain_lines: int = 1_200) -> bytes:
    """Harmless lines past the guard's 1,000-line look, then rows with `trailing_fields` empty fields,
    every other line ending in LF instead of CRLF, up to `size` bytes."""
    out = io.BytesIO()
    out.write(HEADER)
    for i in range(plain_lines):
        out.write(ROW % (i % 28 + 1, i % 7, i, i % 13, i % 50) + b"\r\n")
    i = 0
    while out.tell() < size:
        ending = b"\n" if i % 2 else b"\r\n"
        out.write(ROW % (i % 28 + 1, i % 7, i, i % 13, i % 50) + b"," * trailing_fields + ending)
        i += 1
    return out.getvalue()


def analyse(name: str, data: bytes) -> tuple[int, ReadError | None, int]:
    """(rows the Data page would import, its ReadError or None, peak RSS growth in bytes) for one file."""
    _reset_peak()
    before = _status("VmRSS")
    rows, error = 0, None
    try:
        for plan in plan_file(name, data, Options(store="Shop"), None, reader=read_upload):
            rows += prepare_plan(plan, Options(store="Shop")).rows.num_rows
    except ReadError as exc:
        error = exc
    return rows, error, _status("VmHWM") - before


def data_rows(data: bytes) -> int:
    return sum(1 for line in data.splitlines() if line.startswith(b"2026-"))


@pytest.mark.parametrize("trailing", [20_000, 12_000])
def test_rows_wider_than_the_field_cap_past_the_head_are_refused_by_the_worker(trailing: int) -> None:
    data = crafted(trailing)
    assert len(data) > DEFAULT_LIMITS.text_head_bytes  # the wide rows start beyond what the guard looks at
    analyse("warm-up.csv", crafted(0, size=50_000))  # the first plan imports DuckDB's and Arrow's code
    rows, error, grown = analyse("wide.csv", data)
    assert error is not None and rows == 0
    assert re.search(
        rf"wide\.csv: line 1,20\d has {trailing + 5:,} comma-separated fields, more than the 10,000", str(error.message)
    ), error.message
    assert grown < RSS_BOUND_MB * 1024 * 1024, f"the server grew by {grown / 2**20:.0f} MB"


@pytest.mark.parametrize("trailing", [9_000, 0])
def test_mixed_line_ends_and_wide_empty_rows_under_the_cap_read_correctly_in_bounded_memory(trailing: int) -> None:
    data = crafted(trailing)
    analyse("warm-up.csv", crafted(0, size=50_000))
    rows, error, grown = analyse("mixed.csv", data)
    assert error is None
    assert rows == data_rows(data)
    assert grown < RSS_BOUND_MB * 1024 * 1024, f"the server grew by {grown / 2**20:.0f} MB"


def test_a_line_too_long_past_the_head_is_refused_by_the_worker() -> None:
    data = crafted(0) + b"2026-05-01,x," + b"y" * (DEFAULT_LIMITS.max_line_bytes + 10) + b",1,1,1\n"
    rows, error, grown = analyse("long.csv", data)
    assert error is not None and "long.csv: line" in error.message and "is longer than 1.0 MB" in error.message
    assert grown < RSS_BOUND_MB * 1024 * 1024


def zip_of(n: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(n):
            zf.writestr(f"day{i:03d}.csv", HEADER + ROW % (1, i, i, 1, 1) + b"\r\n")
    return buffer.getvalue()


def test_a_zip_with_more_files_than_the_cap_is_refused_naming_the_cap() -> None:
    cap = DEFAULT_LIMITS.max_zip_members
    assert cap == 50  # the documented default (SHOPDATA_ZIP_MEMBERS)
    with pytest.raises(ReadError) as caught:
        plan_file("many.zip", zip_of(cap + 1), Options(store="Shop"), None, reader=read_upload)
    assert (
        str(caught.value.message)
        == f"many.zip: the zip lists {cap + 1} files, more than the {cap} Shopdata opens (a real export holds a few)"
    )


def test_a_zip_at_the_cap_loads_every_file() -> None:
    cap = DEFAULT_LIMITS.max_zip_members
    plans = plan_file("ok.zip", zip_of(cap), Options(store="Shop"), None, reader=read_upload)
    assert sorted(p.file_name for p in plans) == [f"ok.zip/day{i:03d}.csv" for i in range(cap)]
    assert all(prepare_plan(p, Options(store="Shop")).rows.num_rows == 1 for p in plans)


def test_the_server_process_parses_no_byte_of_the_upload(monkeypatch: pytest.MonkeyPatch) -> None:
    def parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the upload was parsed in the server process")

    # Every parser read.py has, in this process only: the worker is another process and keeps its own.
    for name in ("read_file", "_read_source", "_records", "_duckdb_read_csv", "_read_html", "_read_workbook"):
        monkeypatch.setattr(read_module, name, parsing)
    monkeypatch.setattr(read_module.csv, "reader", parsing)
    monkeypatch.setattr(read_module.python_calamine.CalamineWorkbook, "from_filelike", parsing)
    data = crafted(0, size=200_000)
    for name, upload in (("mixed.csv", data), ("bundle.zip", zip_of(3))):
        plans = plan_file(name, upload, Options(store="Shop"), None, reader=read_upload)
        rows = sum(prepare_plan(plan, Options(store="Shop")).rows.num_rows for plan in plans)
        assert rows == (data_rows(data) if name == "mixed.csv" else 3)


def test_readme_states_the_limits_these_tests_enforce() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme.split("## Supported exports")[1].split("\n## ")[0].split())
    assert f"at most {DEFAULT_LIMITS.max_zip_members} files" in section
    assert f"longer than {DEFAULT_LIMITS.max_line_bytes // 2**20} MB" in section
    assert f"more than {DEFAULT_LIMITS.max_fields:,} fields" in section
    assert f"spreadsheet of more than {DEFAULT_LIMITS.max_sheet_cells // 1_000_000} million cells" in section
