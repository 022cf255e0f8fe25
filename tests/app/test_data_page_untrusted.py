"""Issue 9 item 2 through the Data page itself (AppTest runs the page in this process): the crafted CSVs of
tests/hostile/test_untrusted_body.py dropped on the page, the process's peak RSS watched meanwhile."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.app.conftest import open_page
from tests.app.test_data_page import PAGE, new_store
from tests.hostile.test_untrusted_body import RSS_BOUND_MB, _reset_peak, _status, crafted, data_rows


def dropped(at, name: str, data: bytes) -> int:
    """Drop the file on the page (no Import click); the peak RSS growth it cost, in bytes."""
    _reset_peak()
    before = _status("VmRSS")
    at.file_uploader(key="uploads").upload(name, data, "text/csv").run()
    assert not at.exception, at.exception
    return _status("VmHWM") - before


def test_the_crafted_csv_is_refused_with_the_guards_message_and_the_page_stays_small(empty_db: Path) -> None:
    at = new_store(open_page(PAGE))
    dropped(at, "warm-up.csv", crafted(0, size=50_000))  # the page's first plan imports its code
    grown = dropped(at, "wide.csv", crafted(20_000))
    assert any("has 20,005 comma-separated fields, more than the 10,000" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert grown < RSS_BOUND_MB * 1024 * 1024, f"the server grew by {grown / 2**20:.0f} MB"


def test_wide_empty_rows_with_mixed_line_ends_import_every_row(empty_db: Path) -> None:
    data = crafted(9_000, size=1_000_000)
    at = new_store(open_page(PAGE))
    grown = dropped(at, "mixed.csv", data)
    assert not at.error, [e.value for e in at.error]
    assert grown < RSS_BOUND_MB * 1024 * 1024, f"the server grew by {grown / 2**20:.0f} MB"
    at.button(key="import").click().run()
    assert not at.exception
    with duckdb.connect(str(empty_db)) as con:
        assert con.execute("SELECT count(*) FROM ads").fetchone() == (data_rows(data),)
