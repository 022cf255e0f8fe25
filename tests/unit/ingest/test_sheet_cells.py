"""A worksheet is turned into Arrow a batch of rows at a time (read._sheet_cells), never holding every cell as a
Python object: the result is exactly what the whole sheet's rows gave (`_cells_table` over the non-blank rows
of `to_python`), whatever the batch size."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from shopdata.ingest import read

LAYOUT_WORKBOOKS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "layouts").glob("*.xlsx"))


class _NoLimit:
    max_sheet_cells = 10**12


def _mixed_workbook() -> bytes:
    """A table that starts at C3 under a title, with blank rows, and columns whose cells change type from
    one batch to the next: numbers then text, dates then datetimes, booleans, an int among floats, and
    columns that are empty in a whole batch or everywhere (trailing ones are dropped)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C1"] = "report title"
    sheet.append([])
    sheet.append([None, None, "n", "when", "mixed", "flag", "day", "empty", None, None])
    body = [
        [1, dt.datetime(2020, 1, 1, 5, 30), "x", True, dt.date(2020, 1, 2), None],
        [2.5, dt.date(2020, 1, 2), 3, None, dt.date(2020, 1, 3), None],
        [None, None, None, None, None, None],
        [None, dt.datetime(2021, 1, 1), 7.25, "y", None, None],
        [4, dt.date(2021, 2, 1), dt.date(2021, 2, 2), False, dt.date(2021, 2, 3), None],
        ["n/a", None, "", None, None, None],
    ]
    for row in body:
        sheet.append([None, None, *row])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _whole_sheet(sheet: python_calamine.CalamineSheet) -> tuple[list, object]:
    rows = read._non_blank(sheet.to_python(skip_empty_area=False))
    return read._preview(rows), read._cells_table(rows, _NoLimit())


def _books() -> list[tuple[str, bytes]]:
    return [("mixed.xlsx", _mixed_workbook()), *((p.name, p.read_bytes()) for p in LAYOUT_WORKBOOKS)]


@pytest.mark.parametrize("batch_rows", [1, 2, 3, 4096])
@pytest.mark.parametrize(("name", "data"), _books(), ids=lambda v: v if isinstance(v, str) else "")
def test_sheet_cells_equal_the_whole_sheets_cells(
    monkeypatch: pytest.MonkeyPatch, batch_rows: int, name: str, data: bytes
) -> None:
    monkeypatch.setattr(read, "_SHEET_BATCH_ROWS", batch_rows)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for sheet_name in book.sheet_names:
        preview, table = _whole_sheet(book.get_sheet_by_name(sheet_name))
        streamed = read._sheet_cells(book.get_sheet_by_name(sheet_name))
        assert streamed is not None
        assert streamed[0] == preview
        assert streamed[1].schema == table.schema
        assert streamed[1].combine_chunks().equals(table.combine_chunks())


def test_the_mixed_sheet_reads_as_written() -> None:
    """Independently of _cells_table: the preview starts at column A, blank rows are gone, and the body's
    columns are typed by its own rows."""
    [sheet] = read.read_file("mixed.xlsx", _mixed_workbook())
    assert sheet.preview[0][:3] == [None, None, "report title"]
    assert len(sheet.preview) == 7  # title, header, five non-blank rows
    assert sheet.preview[1][2:8] == ["n", "when", "mixed", "flag", "day", "empty"]
    body = sheet.body(2, 8)
    assert body.column("c2").to_pylist() == ["1", "2.5", None, "4", "n/a"]  # a text cell makes the column text
    assert body.column("c6").to_pylist() == [dt.datetime(2020, 1, 2), dt.datetime(2020, 1, 3), None] + [
        dt.datetime(2021, 2, 3),
        None,
    ]
    assert body.column("c4").to_pylist() == ["x", "3", "7.25", "2021-02-02", None]
    assert body.column("c7").null_count == 5
    assert body.column("c3").to_pylist() == [
        dt.datetime(2020, 1, 1, 5, 30),
        dt.datetime(2020, 1, 2),
        dt.datetime(2021, 1, 1),
        dt.datetime(2021, 2, 1),
        None,
    ]
    assert body.column("c5").to_pylist() == ["true", None, "y", "false", None]


def test_a_sheet_without_a_value_has_no_cells() -> None:
    book = openpyxl.Workbook()
    data = io.BytesIO()
    book.save(data)
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data.getvalue())).get_sheet_by_index(0)
    assert read._sheet_cells(sheet) is None


@pytest.mark.parametrize(("name", "data"), _books()[1:], ids=lambda v: v if isinstance(v, str) else "")
def test_a_sheet_whose_columns_keep_their_types_is_read_once(
    monkeypatch: pytest.MonkeyPatch, name: str, data: bytes
) -> None:
    """Turning every cell into a Python object is most of the cost of reading a workbook: a sheet is read a
    second time only when a batch's arrays cannot tell the parts its mixed column needs."""
    reads = []
    plain = read._sheet_rows
    monkeypatch.setattr(read, "_sheet_rows", lambda sheet: reads.append(sheet) or plain(sheet))
    monkeypatch.setattr(read, "_SHEET_BATCH_ROWS", 2)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for sheet_name in book.sheet_names:
        reads.clear()
        read._sheet_cells(book.get_sheet_by_name(sheet_name))
        assert len(reads) == 1, sheet_name
