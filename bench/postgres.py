"""The page figures on PostgreSQL (`python -m bench --only postgres`): the report warehouse (bench/warehouse.py)
restored into a PostgreSQL server started for the bench — initdb into a temporary directory, a free loopback
port, stopped by PID (tests/support/pg.py, the servers the tests use) — then each page timed as on DuckDB
(bench/report_run.py: page_<name>_postgres warm and _cold). The restore is the app's own (shopdata/backup.py:
a DuckDB file into any warehouse, bulk rows by COPY), and its time is logged.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from bench.report_run import _page_figures
from bench.reports import PAGES
from bench.warehouse import Shape, warehouse


def run_postgres_pages(shape: Shape, repeats: int, seed: int, cache_dir: Path | None, log, pages=PAGES) -> list[dict]:
    from shopdata.backup import restore_backup, write_backup
    from shopdata.store import open_warehouse
    from tests.support.pg import PostgresServer

    source = warehouse(shape, seed, cache_dir=cache_dir, log=log)
    records: list[dict] = []
    # The restore writes a safety backup of the (empty) target first: into a folder that goes with the bench.
    with PostgresServer() as server, tempfile.TemporaryDirectory(prefix="shopdata-bench-pg-") as backups:
        os.environ["SHOPDATA_BACKUP_DIR"] = backups
        url = server.create_database("bench")
        log(f"restoring {source.name} into PostgreSQL (through a backup of it, as a user would move it)")
        started = time.perf_counter()
        copy = Path(backups) / "source.duckdb"
        shutil.copyfile(source, copy)  # opening a warehouse may migrate it; the cached file stays as built
        built = open_warehouse(str(copy))
        try:
            backup = write_backup(built.engine, Path(backups) / "warehouse.duckdb")
        finally:
            built.engine.close()
            copy.unlink()
        target = open_warehouse(url)
        try:
            restored = restore_backup(target, backup.path)
        finally:
            target.engine.close()
        log(f"  restored {restored.total_rows:,} rows in {time.perf_counter() - started:.1f} s")
        for name in pages:
            records += _page_figures(name, url, repeats, shape, log, engine="postgres")
    return records
