"""Many sessions at once, on DuckDB and PostgreSQL: one batch per file, no lost rows, readers see no errors.

Each thread is a session as the app has it — its own connection and Warehouse (shopdata/ui/session.py) — and
imports through ingest_file, the path of the CLI and the Data page. All start together at a barrier:

* several sessions import the very same export at the same moment → one batch for that file, its rows once;
* others import different exports → every file's rows are there, with the values in the CSV;
* readers run the report queries of the pages and the Data page's batch list during the imports → no
  errors, and no snapshot ever shows part of an import (every batch whole, no file twice).

Expected rows and money are read from the CSV files with the csv module, never through shopdata.
A DuckDB file held open by another process gives a plain message that says what to do.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from shopdata.engine import connect
from shopdata.errors import DatabaseError
from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.metrics import overview, promotion
from shopdata.metrics.query import Scope, for_currency
from shopdata.store import Warehouse
from tests.resilience.exports import FIRST_DAY, ExportSpec, ads_rows_by_key, write_exports
from tests.support.summary import report

STORE = "Concurrent shop"
SEED = 4_05
SAME_FILE_SESSIONS = 6
READER_SESSIONS = 8
# The file every importing-the-same-file session uploads, then one different file per session.
SAME = ExportSpec("计划报表_同一文件.csv", range(0, 30), range(0, 100))  # 3,000 rows
DIFFERENT = [
    ExportSpec(f"计划报表_{n:02d}.csv", range(30 + 20 * n, 50 + 20 * n), range(0, 10 + 15 * n)) for n in range(10)
]  # 200 .. 2,900 rows
SESSIONS = SAME_FILE_SESSIONS + len(DIFFERENT) + READER_SESSIONS
LAST_DAY = FIRST_DAY + timedelta(days=max(max(s.days) for s in [SAME, *DIFFERENT]))


def whole_snapshot(engine) -> tuple[int, int, int, int]:
    """One statement, so one snapshot on both engines: fact rows, rows the batches say they loaded, the
    batches, and the distinct files among them."""
    return engine.execute(
        "SELECT (SELECT count(*) FROM ads WHERE store = ?), "
        "(SELECT coalesce(sum(rows_loaded), 0) FROM batches WHERE store = ?), "
        "(SELECT count(*) FROM batches WHERE store = ?), "
        "(SELECT count(DISTINCT sha256) FROM batches WHERE store = ?)",
        [STORE] * 4,
    ).fetchone()


@pytest.mark.slow
def test_sessions_importing_and_reading_at_once_lose_nothing_and_double_nothing(
    warehouse_url: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    exports = write_exports(tmp_path / "exports", [SAME, *DIFFERENT], SEED)
    same, different = exports[SAME.name], [exports[spec.name] for spec in DIFFERENT]
    Warehouse(connect(warehouse_url)).engine.close()  # the database exists before the sessions, as in the app

    barrier = threading.Barrier(SESSIONS)
    imports_done = threading.Event()
    errors: list[str] = []
    results: dict[str, list] = {}
    reads: Counter = Counter()
    lock = threading.Lock()

    def session(name: str, work) -> None:
        engine = None
        try:
            engine = connect(warehouse_url)
            store = Warehouse(engine)
            barrier.wait()
            work(store)
        except Exception:  # collected: the assertion below shows every one
            barrier.abort()
            with lock:
                errors.append(f"{name}: {traceback.format_exc()}")
        finally:
            if engine is not None:
                engine.close()

    def importer(export):
        def work(store: Warehouse) -> None:
            found = ingest_file(export.path.name, export.path, store, Options(store=STORE, uploaded_by="t"))
            with lock:
                results.setdefault(export.path.name, []).extend(found)

        return work

    def reader(store: Warehouse) -> None:
        backend = store.engine.ibis()
        scope = for_currency(backend, Scope(STORE, FIRST_DAY, LAST_DAY, "CNY"))
        while True:
            finished = imports_done.is_set()
            rows, loaded, batches, files = whole_snapshot(store.engine)
            # Every batch a reader can see is whole, and no file is in twice.
            assert (rows, batches) == (loaded, files), (rows, loaded, batches, files)
            listed = store.batches(STORE)
            assert all(b["rows_live"] == b["rows_loaded"] for b in listed), listed
            promotion.report_records(backend, scope, None)
            overview.report_records(backend, scope, None)
            with lock:
                reads["during imports" if not imports_done.is_set() else "after"] += 1
            if finished:
                return

    threads = [
        threading.Thread(target=session, args=(f"same-file importer {n}", importer(same)))
        for n in range(SAME_FILE_SESSIONS)
    ]
    threads += [threading.Thread(target=session, args=(f"importer of {e.path.name}", importer(e))) for e in different]
    importers = list(threads)
    threads += [threading.Thread(target=session, args=(f"reader {n}", reader)) for n in range(READER_SESSIONS)]
    assert len(threads) == SESSIONS >= 20
    for thread in threads:
        thread.start()
    for thread in importers:
        thread.join()
    imports_done.set()
    for thread in threads:
        thread.join()
    assert errors == [], "\n".join(errors)
    assert reads["during imports"] > 0

    # Every import was accepted; the same file, imported six times at once, is there once.
    assert {name: [r.status for r in found] for name, found in results.items()} == {
        e.path.name: ["loaded"] * (SAME_FILE_SESSIONS if e is same else 1) for e in [same, *different]
    }
    same_results = sorted(results[same.path.name], key=lambda r: r.batch_id)
    assert [r.rows_loaded for r in same_results] == [len(same.rows)] * SAME_FILE_SESSIONS
    assert [r.rows_replaced for r in same_results] == [0] + [len(same.rows)] * (SAME_FILE_SESSIONS - 1)

    check = Warehouse(connect(warehouse_url))
    try:
        batches = check.batches(STORE)
        found = ads_rows_by_key(check.engine, STORE)
        backend = check.engine.ibis()
        scope = for_currency(backend, Scope(STORE, FIRST_DAY, LAST_DAY, "CNY"))
        reported_spend = sum(r["spend"] for r in promotion.report_records(backend, scope, None))
    finally:
        check.engine.close()
    by_file = {b["sha256"]: b for b in batches}
    assert len(batches) == len(by_file) == 1 + len(different)
    assert by_file[same.sha256]["batch_id"] == same_results[-1].batch_id
    for export in [same, *different]:
        batch = by_file[export.sha256]
        assert (batch["rows_loaded"], batch["rows_live"]) == (len(export.rows), len(export.rows)), export.path.name
        assert {key: found[key][:2] for key in export.rows} == export.rows, export.path.name
        assert {found[key][2] for key in export.rows} == {batch["batch_id"]}, export.path.name
    expected_rows = sum(len(e.rows) for e in [same, *different])
    expected_spend = sum(e.spend_cents for e in [same, *different])
    assert len(found) == expected_rows
    assert sum(spend for spend, _, _ in found.values()) == expected_spend
    assert round(reported_spend * 100) == expected_spend
    imports = sum(len(found) for found in results.values())
    report(
        f"concurrency ({'postgresql' if warehouse_url.startswith('postgres') else 'duckdb'}): {SESSIONS} sessions "
        f"({SAME_FILE_SESSIONS} importing the same file at once, {len(different)} importing different files, "
        f"{READER_SESSIONS} reading), {imports} imports, {sum(reads.values())} reads "
        f"({reads['during imports']} during the imports), {len(errors)} errors; rows expected {expected_rows}, "
        f"found {len(found)}; batches of the same file: 1; {time.monotonic() - started:.1f} s"
    )


HOLD_OPEN = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('open', flush=True); sys.stdin.read()"


def test_a_database_file_held_by_another_process_gives_a_plain_message_saying_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    Warehouse(connect(str(db))).engine.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseError) as raised:
            connect(str(db))
        assert raised.value.message == f"the database file {db} is in use by another program"
        assert "close the other Shopdata window or command" in raised.value.hint
        assert "then try again" in raised.value.hint
        # What someone running the command line sees: the same sentence, no traceback.
        cli = subprocess.run(
            [sys.executable, "-m", "shopdata", "batches", "--db", str(db)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert cli.returncode == 2
        assert "in use by another program" in cli.stderr and "close the other Shopdata window" in cli.stderr
        assert "Traceback" not in cli.stderr
    finally:
        holder.stdin.close()
        holder.wait()
    # Doing what the message says works: with the other program gone the file opens.
    engine = connect(str(db))
    assert Warehouse(engine).batches() == []
    engine.close()
