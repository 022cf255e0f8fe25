"""`python -m shopdata backup|restore`, and `batches` over an upload list with a damaged cell."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from shopdata import cli
from shopdata.backup import BACKUP_DIR_ENV, INFO_TABLE
from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.store import open_warehouse

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
GOOGLE_ADS = "google_ads_campaign_report.csv"
PRICES = "竞品价格监控_2026-08-25_2026-11-22.xlsx"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(BACKUP_DIR_ENV, str(tmp_path / "backups"))
    path = tmp_path / "shop.duckdb"
    warehouse = open_warehouse(str(path))
    with warehouse.engine:
        [result] = ingest_file(GOOGLE_ADS, SAMPLES / GOOGLE_ADS, warehouse, Options(store="Shop"))
        assert result.status == "loaded"
    return path


def ads_and_batches(db: Path) -> tuple[int, list[str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        ads = con.execute("SELECT count(*) FROM ads").fetchone()[0]
        names = [r[0] for r in con.execute("SELECT file_name FROM batches ORDER BY batch_id").fetchall()]
    return ads, names


def test_backup_then_restore_from_the_command_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = ads_and_batches(db)
    out = tmp_path / "saved.duckdb"
    assert cli.main(["backup", "--db", str(db), "--out", str(out)]) == 0
    written = json.loads(capsys.readouterr().out)
    assert written["file"] == str(out) and out.is_file() and written["size_bytes"] == out.stat().st_size

    warehouse = open_warehouse(str(db))
    with warehouse.engine:
        ingest_file(PRICES, SAMPLES / PRICES, warehouse, Options(store="Shop"))
    assert ads_and_batches(db) != before

    assert cli.main(["restore", str(out), "--db", str(db), "--yes"]) == 0
    restored = json.loads(capsys.readouterr().out)
    assert restored["status"] == "restored" and Path(restored["before_restore"]).name.startswith("before-restore-")
    assert ads_and_batches(db) == before


def test_backup_without_out_goes_to_the_backups_folder(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["backup", "--db", str(db)]) == 0
    written = Path(json.loads(capsys.readouterr().out)["file"])
    assert written.parent == tmp_path / "backups" and written.name.startswith("shopdata-backup-")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["restore", "{backup}", "--db", "{db}"], "add --yes"),
        (["restore", "{missing}", "--db", "{db}", "--yes"], "no file"),
        (["restore", "{crafted}", "--db", "{db}", "--yes"], "batch sequence is 9,223,372,036,854,775,806"),
        (["backup", "--db", "{missing}"], "no database at"),
        (["backup", "--db", "{db}", "--out", "{missing}/x.duckdb"], "no folder"),
    ],
)
def test_mistakes_are_one_line_and_exit_2_and_change_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    backup = tmp_path / "good.duckdb"
    assert cli.main(["backup", "--db", str(db), "--out", str(backup)]) == 0
    crafted = tmp_path / "crafted.duckdb"
    crafted.write_bytes(backup.read_bytes())
    with duckdb.connect(str(crafted)) as con:
        con.execute(f"UPDATE {INFO_TABLE} SET value = '{2**63 - 2}' WHERE key = 'batch_seq_last'")
    capsys.readouterr()
    before = ads_and_batches(db)
    names = {"backup": backup, "db": db, "missing": tmp_path / "missing", "crafted": crafted}
    assert cli.main([part.format(**names) for part in argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err and len(captured.err.strip().splitlines()) == 1
    assert ads_and_batches(db) == before


def test_batches_lists_an_upload_whose_warnings_cell_is_damaged(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute("""UPDATE batches SET warnings = '[{"key": '""")
    assert cli.main(["batches", "--db", str(db)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["file_name"] == GOOGLE_ADS
