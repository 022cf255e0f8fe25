"""Backup and restore on the Data page through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from shopdata.backup import BACKUP_DIR_ENV
from shopdata.formatting import md_escape
from shopdata.ui.backup import PREPARED_KEY
from tests.app.conftest import open_page

PAGE = "views/data.py"
COUNTED = (
    "stores",
    "batches",
    "mappings",
    "settings",
    "currency_changes",
    "notes",
    "activities",
    "targets",
    "events",
    "traffic",
    "ads",
    "prices",
    "rival_metrics",
    "rival_promotions",
    "orders",
    "products",
)


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db)) as con:  # same process as the app: same configuration
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}


@pytest.fixture(autouse=True)
def default_backup_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BACKUP_DIR_ENV, raising=False)


def test_prepare_a_backup_and_offer_it_for_download(demo_db: Path) -> None:
    at = open_page(PAGE)
    assert "Backup and restore" in [e.label for e in at.expander]
    assert not at.get("link_button")  # nothing is written until asked
    at.button(key="backup_prepare").click().run()
    assert not at.exception

    [download] = at.get("link_button")
    assert download.proto.label == "Download the backup"
    prepared = at.session_state[PREPARED_KEY].path
    assert prepared.parent == Path(str(demo_db) + ".backups") and prepared.name.startswith("shopdata-backup-")
    with duckdb.connect(str(prepared), read_only=True) as con:
        in_backup = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}
    assert in_backup == counts(demo_db) and in_backup["ads"] > 0


def test_restore_a_backup_after_the_demo_store_was_removed(demo_db: Path) -> None:
    original = counts(demo_db)
    at = open_page(PAGE)
    at.button(key="backup_prepare").click().run()
    backup_file = at.session_state[PREPARED_KEY].path
    at.button(key="remove_demo").click().run()
    assert counts(demo_db)["ads"] == 0

    at.file_uploader(key="backup_upload").upload(
        "backup.duckdb", backup_file.read_bytes(), "application/octet-stream"
    ).run()
    assert at.button(key="backup_restore").disabled  # not before the replacement is confirmed
    at.checkbox(key="backup_confirm").check().run()
    at.button(key="backup_restore").click().run()
    assert not at.exception

    assert counts(demo_db) == original
    [message] = [s.value for s in at.success if s.value.startswith("Restored")]
    restored_rows = sum(original.values())  # every table a restore replaces
    assert f"Restored {restored_rows:,} rows" in message
    [safety] = Path(str(demo_db) + ".backups").glob("before-restore-*.duckdb")
    assert md_escape(safety) in message  # a path in markdown: its "_" escaped
    assert at.checkbox(key="backup_confirm").value is False  # the next restore asks again
    assert len(at.dataframe[-1].value) == original["batches"]  # the upload list is drawn from the restored data


def test_a_file_that_is_not_a_backup_is_refused_with_a_message(demo_db: Path) -> None:
    original = counts(demo_db)
    at = open_page(PAGE)
    at.file_uploader(key="backup_upload").upload(
        "shop.duckdb", b"not a database" * 100, "application/octet-stream"
    ).run()
    at.checkbox(key="backup_confirm").check().run()
    at.button(key="backup_restore").click().run()
    assert not at.exception
    assert any(e.value.startswith("Nothing was restored") and "not a Shopdata backup" in e.value for e in at.error)
    assert counts(demo_db) == original


def test_chinese_labels(empty_db: Path) -> None:
    at = open_page(PAGE, lang="zh")
    assert "备份与恢复" in [e.label for e in at.expander]
    assert at.button(key="backup_restore").label == "恢复"


def test_a_damaged_upload_record_never_hides_the_restore_panel(demo_db: Path) -> None:
    """A batches row whose warnings cell is not JSON (restored by an older Shopdata): the page draws, the
    restore panel first, and the upload list shows the cell's raw text."""
    with duckdb.connect(str(demo_db)) as con:
        damaged = con.execute("SELECT min(batch_id) FROM batches").fetchone()[0]
        con.execute("""UPDATE batches SET warnings = '[{"key": ' WHERE batch_id = ?""", [damaged])
    at = open_page(PAGE)
    assert not at.exception
    assert at.expander[0].label == "Backup and restore"  # before the upload list
    assert at.button(key="backup_restore").label == "Restore"
    assert len(at.dataframe[-1].value) == counts(demo_db)["batches"]
    captions = [c.value for c in at.caption]
    # (markdown-escaped on the page: the text without its escapes)
    assert any('warnings: [{"key":' in c.replace("\\", "") for c in captions), captions
