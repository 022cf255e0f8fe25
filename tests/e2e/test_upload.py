"""Drag and drop an export onto the Data page, import it, and find the batch in the database.

Checking the database: DuckDB lets one process open a file for writing and then no other process may
open it at all, not even read-only, so the file cannot be inspected while the app serves it. The test
therefore uses its own server on its own empty file (no demo store, so the upload is the only batch),
checks what the UI says, stops that server, and only then asks the CLI (`python -m shopdata batches`,
a separate process, as a user would) what the file holds. The expected numbers come from the raw export
read here by another route (csv module), not from the app.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from shopdata.i18n import translate
from tests.e2e.support import REPO_ROOT, drop_files, error_boxes, main, normalize, select, table_rows, wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.realdata]

EXPORT = Path("google_ads_reports") / "towing_Search terms report.csv"
STORE = "Towing e2e 拖车"


def raw_export(path: Path) -> dict:
    """Data rows, totals rows and the period of a Google Ads UTF-16 TSV report (title, period, header, rows)."""
    lines = path.read_text(encoding="utf-16").splitlines()
    rows = [row for row in csv.reader(lines[3:], delimiter="\t") if any(cell.strip() for cell in row)]
    totals = [row for row in rows if row[0].startswith("Total:")]
    start, end = (datetime.strptime(part.strip(), "%d %B %Y").date() for part in lines[1].split(" - "))
    return {"rows": len(rows) - len(totals), "totals": len(totals), "start": start, "end": end}


def text(key: str) -> str:
    return translate(key, "en")


def test_upload_import_and_batch_in_database(open_app, empty_app_server, realdata_dir: Path) -> None:
    export = realdata_dir / EXPORT
    expected = raw_export(export)
    assert expected["rows"] == 18 and expected["totals"] == 5  # the file as the brief describes it

    page = open_app("/data", server=empty_app_server)
    assert error_boxes(page) == []
    select(page, main(page), text("data.store_pick"), text("data.store_new_option"))
    name_box = main(page).get_by_role("textbox", name=text("data.store_new"), exact=True)
    name_box.fill(STORE)
    name_box.press("Enter")
    wait_for_app(page)
    # The exports' uploader, not the restore panel's (first on the page, in its collapsed expander).
    uploads = main(page).get_by_test_id("stFileUploader").filter(has_text=text("data.uploader"))
    drop_files(page, uploads.get_by_test_id("stFileUploaderDropzone"), [export])
    assert main(page).get_by_text(export.name, exact=True).first.is_visible()
    assert error_boxes(page) == []
    main(page).get_by_role("button", name=text("data.import"), exact=True).click()
    wait_for_app(page)

    assert error_boxes(page) == []
    success = [normalize(box.inner_text()) for box in main(page).get_by_test_id("stAlertContentSuccess").all()]
    assert success == [
        normalize(
            translate(
                "data.loaded",
                "en",
                file=export.name,
                rows=f"{expected['rows']}",
                replaced="0",
                skipped=f"{expected['totals']}",
                batch=1,
            )
        )
    ]
    header, *rows = table_rows(main(page).get_by_test_id("stDataFrame").last)
    batch = dict(zip(header, rows[0], strict=False))
    assert len(rows) == 1
    assert (batch[text("col.file_name")], batch[text("col.rows_loaded")]) == (export.name, str(expected["rows"]))

    empty_app_server.stop()
    listed = subprocess.run(
        [sys.executable, "-m", "shopdata", "batches", "--db", str(empty_app_server.db_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    batches = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    assert len(batches) == 1
    stored = batches[0]
    assert stored["store"] == STORE and stored["file_name"] == export.name
    assert (stored["rows_loaded"], stored["rows_live"], stored["rows_skipped"]) == (
        expected["rows"],
        expected["rows"],
        expected["totals"],
    )
    assert stored["sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()
    assert (stored["date_from"], stored["date_to"]) == (expected["start"].isoformat(), expected["end"].isoformat())
