"""Tables as CSV and XLSX downloads, safe to open in a spreadsheet.

A text cell starting with = + - @ (or a tab or carriage return) would run as a formula in Excel or
LibreOffice ("formula injection"). Such cells get a leading apostrophe; numbers stay numbers.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    # UTF-8 with BOM so Excel shows Chinese text correctly.
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    import openpyxl

    safe = safe_frame(frame)
    book = openpyxl.Workbook(write_only=True)
    sheet_out = book.create_sheet(sheet[:31])
    sheet_out.append(list(safe.columns))
    for row in safe.itertuples(index=False):
        cells: list[object] = []
        for value in row:
            if value is None or (isinstance(value, float) and pd.isna(value)):
                cells.append(None)
            elif hasattr(value, "isoformat") and not isinstance(value, str):
                cells.append(value)
            elif isinstance(value, str):
                # openpyxl treats a string starting with "=" as a formula; neutralise() made sure none does.
                cells.append(value)
            else:
                cells.append(value.item() if hasattr(value, "item") else value)
        sheet_out.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
