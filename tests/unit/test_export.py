"""Downloads: formula injection neutralised, numbers stay numbers (checked by opening the files)."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from shopdata.export import to_csv_bytes, to_xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "中文"]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"name": HOSTILE, "spend": [1.5, -2.0, 3.0, 0.0, 10.25, 7.0, 8.0, 9.0], "=evil header": range(8)}
    )


def test_xlsx_has_no_formulas_and_keeps_numbers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame())))
    sheet = book.active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [sheet.cell(row=r, column=1).value for r in range(2, 10)]
    # XML turns a stored CR into LF on reading; what matters is the apostrophe in front.
    assert [n.replace("\n", "\r") for n in names] == ["'" + h if h[0] in "=+-@\t\r" else h for h in HOSTILE]
    assert [sheet.cell(row=r, column=2).value for r in range(2, 10)] == [1.5, -2.0, 3.0, 0.0, 10.25, 7.0, 8.0, 9.0]
    assert sheet.cell(row=1, column=3).value == "'=evil header"


def test_csv_cells_cannot_start_a_formula() -> None:
    text = to_csv_bytes(frame()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row[:1] + row[2:]), row
    assert rows[1][1] == "1.5" and rows[2][1] == "-2.0"  # negative numbers are numbers, not text


@pytest.mark.parametrize("value", ["-", "-1", "=1"])
def test_text_that_looks_like_a_number_is_still_text(value: str) -> None:
    out = pd.read_csv(io.BytesIO(to_csv_bytes(pd.DataFrame({"a": [value]}))), dtype=str, encoding="utf-8-sig")
    assert out["a"][0] == "'" + value


def test_a_column_of_mixed_values_is_neutralised_too() -> None:
    """A text column pandas cannot call a string column (text and numbers mixed) is neutralised all the same."""
    mixed = pd.DataFrame({"campaign": ["=1+1", 5, "@A1"]})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(mixed).decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:]] == ["'=1+1", "5", "'@A1"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(mixed))).active
    assert [sheet.cell(row=r, column=1).value for r in range(2, 5)] == ["'=1+1", 5, "'@A1"]


def test_xlsx_keeps_dates_as_dates_and_missing_values_empty() -> None:
    days = [date(2026, 11, 1), date(2026, 11, 2)]
    table = pd.DataFrame(
        {"day": days, "stamp": pd.to_datetime(["2026-11-01 08:30", "2026-11-02 09:45"]), "spend": [1.5, float("nan")]}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table))).active
    assert [sheet.cell(row=r, column=1).value for r in (2, 3)] == [datetime(2026, 11, 1), datetime(2026, 11, 2)]
    assert [sheet.cell(row=r, column=2).value for r in (2, 3)] == [
        datetime(2026, 11, 1, 8, 30),
        datetime(2026, 11, 2, 9, 45),
    ]
    assert [sheet.cell(row=r, column=3).value for r in (2, 3)] == [1.5, None]


def test_a_sheet_name_is_cut_to_the_31_characters_excel_allows() -> None:
    name = "促销活动按计划的花费与成交" * 3  # 39 characters
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"a": [1]}), sheet=name)))
    assert book.sheetnames == [name[:31]]
