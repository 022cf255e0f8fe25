"""What every page offers for download (CSV and XLSX) holds no live spreadsheet formula (issue 16 item 3).

A database whose text cells start with = + - @ is drawn on every page, each of its tabs opened in turn; every
download the page offers is made the way the edge makes it when the browser asks (the offered Download's
`produce`), opened with the csv module or openpyxl, and no text cell may start with a formula character. The
hostile texts must be in the downloads (neutralised), so a page whose tables lost them cannot pass by showing
nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import openpyxl
import pytest

from shopdata.ui import edge
from shopdata.ui.pages import PAGES, TEAM_PAGE
from tests.app.conftest import lazy_tabs, open_page, open_tab
from tests.support.rollups import rebuild_rollups

HYPERLINK = '=HYPERLINK("http://127.0.0.1:9/x","click")'
COMMAND = "+cmd|' /C calc'!A0"
ARITHMETIC = "-2+3"
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE = (HYPERLINK, COMMAND, ARITHMETIC, AT_SUM)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what Excel and LibreOffice run as a formula

# Per table, the text columns the pages show, given the hostile texts in turn.
HOSTILE_COLUMNS = {
    "traffic": ("source_1", "source_2", "product_name", "campaign"),
    "ads": ("campaign", "ad_group", "keyword", "search_term"),
    "prices": ("shop", "product_name"),
    "events": ("source", "device"),
    "orders": ("product_name", "channel", "region", "promotion"),
    "products": ("name", "category"),
    "rival_metrics": ("rival_shop", "product_name", "keyword", "source"),
    "rival_promotions": ("rival_shop", "method", "discount", "note"),
}
# Pages whose downloads hold no text taken from the data: the funnel's stages are the app's own names.
NO_DATA_TEXT = frozenset({"views/funnel.py"})


def make_formulas(db: Path) -> None:
    with duckdb.connect(str(db)) as con:
        for table, columns in HOSTILE_COLUMNS.items():
            for i, column in enumerate(columns):
                con.execute(f"UPDATE {table} SET {column} = ? WHERE {column} IS NOT NULL", [HOSTILE[i % 4]])
    rebuild_rollups(db)


class RecordingTickets(edge.Tickets):
    """The edge's tickets, keeping every download a page offered (a new offer drops stale ones in a test)."""

    def __init__(self) -> None:
        super().__init__()
        self.offered: list[edge.Download] = []

    def offer(self, key: str, download: edge.Download) -> str:
        self.offered.append(download)
        return super().offer(key, download)


@pytest.fixture
def tickets(monkeypatch: pytest.MonkeyPatch) -> RecordingTickets:
    recording = RecordingTickets()
    monkeypatch.setattr(edge, "TICKETS", recording)
    return recording


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a formula cell {cell.coordinate}: {cell.value}"
                if isinstance(cell.value, str):
                    cells.append(cell.value)
    return cells


def live_formulas(cells: list[str]) -> list[str]:
    return [c for c in cells if c.startswith(FORMULA_STARTS) and not is_number(c)]


@pytest.mark.parametrize("page", sorted({p.script for p in (*PAGES, TEAM_PAGE)}))
def test_every_download_on_every_page_holds_no_live_formula(
    demo_db: Path, tickets: RecordingTickets, page: str
) -> None:
    make_formulas(demo_db)
    at = open_page(page)
    for key, labels in lazy_tabs(at):  # a tab's tables are drawn, and offered, once it is open
        for label in labels[1:]:
            open_tab(at, key, label)
    tables = [d for d in tickets.offered if d.produce is not None and d.file_name.endswith((".csv", ".xlsx"))]
    cells_by_file = {}
    for download in tables:
        assert download.produce is not None
        data = download.produce()
        cells_by_file[download.file_name] = csv_cells(data) if download.file_name.endswith(".csv") else xlsx_cells(data)
    for name, cells in cells_by_file.items():
        assert not live_formulas(cells), (name, live_formulas(cells)[:5])
    if tables and page not in NO_DATA_TEXT:
        neutralised = {"'" + text for text in HOSTILE}
        assert any(neutralised & set(cells) for cells in cells_by_file.values()), sorted(cells_by_file)
