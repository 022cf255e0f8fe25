"""The warehouse: stores, batches, and idempotent all-or-nothing loads into the canonical tables.

Every fact row carries its store, its batch and a natural key (`nk`). Loading a batch replaces rows
with the same (store, nk) in the same transaction, so uploading a file twice, or an export that
overlaps an earlier one, never counts anything twice. Deleting a batch removes exactly its rows.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from shopdata import rollups
from shopdata.backup import backup_before_migration
from shopdata.engine import Engine, connect, quote_identifier
from shopdata.generation import bump_generation
from shopdata.ingest.clean import ISO_CURRENCY_CODES
from shopdata.migrations import BATCH_SEQUENCE, migrate
from shopdata.schema import TABLES, Table, utcnow

if TYPE_CHECKING:
    from shopdata.ingest.transform import WarehouseRows


LOAD_ATTEMPTS = 8


@dataclass
class BatchInfo:
    store: str
    file_name: str
    sha256: str
    size_bytes: int
    platform: str
    kind: str
    report: str
    mapping: dict[str, str]
    rows_skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    warnings: list[str | dict[str, Any]] = field(default_factory=list)  # plain, or a Message's to_json()
    date_from: date | None = None
    date_to: date | None = None
    uploaded_by: str | None = None


@dataclass
class LoadResult:
    batch_id: int
    rows_loaded: int
    rows_replaced: int


class Warehouse:
    """The warehouse seen as stores, batches and canonical tables. One per session."""

    def __init__(self, engine: Engine) -> None:
        """A warehouse over an open engine, its schema brought up to date first (an older database is
        backed up before it changes). open_warehouse(url) is the usual way in."""
        self.engine = engine
        migrate(engine, backup_before_migration)

    # -- stores
    def ensure_store(self, name: str, is_demo: bool = False) -> None:
        name = name.strip()
        if not name:
            raise ValueError("a store needs a name")
        if not self.engine.execute("SELECT 1 FROM stores WHERE name = ?", [name]).rows:
            self.engine.execute(
                "INSERT INTO stores (name, is_demo, created_at) VALUES (?, ?, ?)", [name, is_demo, utcnow()]
            )

    def stores(self) -> list[dict[str, Any]]:
        return self.engine.execute("SELECT name, is_demo, created_at FROM stores ORDER BY created_at, name").records()

    def delete_store(self, name: str) -> int:
        """Remove a store with every row and batch it has. Returns the number of fact rows removed."""
        removed = 0
        with self.engine.exclusive_transaction(f"load:{name}"):  # not while a load or restore runs
            for table in TABLES:
                removed += self.engine.execute(
                    f"DELETE FROM {quote_identifier(table)} WHERE store = ?", [name]
                ).rowcount
            rollups.forget_store(self.engine, name)
            self.engine.execute("DELETE FROM batches WHERE store = ?", [name])
            self.engine.execute("DELETE FROM settings WHERE store = ?", [name])
            self.engine.execute("DELETE FROM currency_changes WHERE store = ?", [name])
            for journal_table in ("notes", "activities", "targets", "webhooks"):  # shopdata/journal.py
                self.engine.execute(f"DELETE FROM {journal_table} WHERE store = ?", [name])
            self.engine.execute("DELETE FROM stores WHERE name = ?", [name])
            bump_generation(self.engine, f"load:{name}")
        return removed

    # -- batches
    def find_batches_by_sha(self, store: str, sha256: str) -> list[dict[str, Any]]:
        return self.engine.execute(
            "SELECT batch_id, created_at, file_name FROM batches WHERE store = ? AND sha256 = ? ORDER BY batch_id",
            [store, sha256],
        ).records()

    def load(self, batch: BatchInfo, rows: pa.Table | WarehouseRows) -> LoadResult:
        """Store one upload: all its rows and its batch record, or nothing.

        `rows` holds canonical columns of the batch's kind plus `nk`; store and batch_id are added here.
        The new rows go in first; then earlier rows with the same (store, nk) are deleted — the
        replaced count — so nothing is counted twice and no staging copy is needed.
        """
        table = TABLES[batch.kind]
        if isinstance(rows, pa.Table):
            given = rows.column_names
        elif rows.con is self.engine.ingest_connection():
            given = rows.columns
        else:
            rows = rows.to_arrow()
            given = rows.column_names
        columns = [c for c in table.column_names if c in given and c not in ("store", "batch_id")]
        attempt = 1
        while True:
            try:
                return self._load_once(table, batch, rows, columns)
            except Exception as exc:
                # Two sessions loading overlapping rows at once: DuckDB aborts one transaction with a
                # conflict; it ran nothing, so it is simply run again after the other committed.
                if attempt >= LOAD_ATTEMPTS or not self.engine.is_conflict(exc):
                    raise
                time.sleep(0.05 * attempt + random.random() * 0.05)
                attempt += 1

    def _load_once(
        self, table: Table, batch: BatchInfo, rows: pa.Table | WarehouseRows, columns: list[str]
    ) -> LoadResult:
        tname = quote_identifier(table.name)
        constants: dict[str, Any] = {"store": batch.store}
        with self.engine.exclusive_transaction(f"load:{batch.store}"):
            self.ensure_store(batch.store)
            batch_id = int(self.engine.execute(f"SELECT nextval('{BATCH_SEQUENCE}')").scalar())
            constants["batch_id"] = batch_id
            if isinstance(rows, pa.Table):
                self.engine.insert_arrow(table.name, rows, columns, constants)
            else:
                self.engine.insert_select(table.name, rows.select_sql, columns, constants)
            replaced = self.engine.execute(
                f"DELETE FROM {tname} WHERE store = ? AND batch_id <> ? "
                f"AND nk IN (SELECT nk FROM {tname} WHERE batch_id = ?)",
                [batch.store, batch_id, batch_id],
            ).rowcount
            # An earlier upload of this very file whose rows were all replaced is gone for good:
            # the same file imported twice (or by two people at once) leaves one batch.
            self.engine.execute(
                f"DELETE FROM batches WHERE store = ? AND sha256 = ? AND batch_id <> ? AND NOT EXISTS "
                f"(SELECT 1 FROM {tname} t WHERE t.batch_id = batches.batch_id)",
                [batch.store, batch.sha256, batch_id],
            )
            self._insert_batch(batch_id, batch, rows.num_rows, replaced)
            days = rollups.batch_days(self.engine, table.name, batch_id)
            rollups.refresh_batch_days(self.engine, table.name, batch.store, days)
            bump_generation(self.engine, f"load:{batch.store}")
        return LoadResult(batch_id, rows.num_rows, replaced)

    def _insert_batch(self, batch_id: int, batch: BatchInfo, loaded: int, replaced: int) -> None:
        self.engine.execute(
            "INSERT INTO batches (batch_id, store, file_name, sha256, size_bytes, platform, kind, report, mapping,"
            " rows_loaded, rows_replaced, rows_skipped, skipped_reasons, warnings, date_from, date_to, uploaded_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                batch.store,
                batch.file_name,
                batch.sha256,
                batch.size_bytes,
                batch.platform,
                batch.kind,
                batch.report,
                json.dumps(batch.mapping, ensure_ascii=False),
                loaded,
                replaced,
                batch.rows_skipped,
                json.dumps(batch.skipped_reasons, ensure_ascii=False),
                json.dumps(batch.warnings, ensure_ascii=False),
                batch.date_from,
                batch.date_to,
                batch.uploaded_by,
                utcnow(),
            ],
        )

    def batches(self, store: str | None = None) -> list[dict[str, Any]]:
        """Batches newest first, with how many of their rows are still live (later uploads may have replaced them)."""
        return batches_of(self.engine, store)

    def delete_batch(self, batch_id: int) -> int:
        """Remove exactly the rows this batch brought (those not since replaced) and its record."""
        found = self.engine.execute("SELECT kind, store FROM batches WHERE batch_id = ?", [batch_id]).fetchone()
        if not found:
            raise KeyError(batch_id)
        with self.engine.exclusive_transaction(f"load:{found[1]}"):  # not while a load or restore runs
            days = rollups.batch_days(self.engine, found[0], batch_id)
            removed = self.engine.execute(
                f"DELETE FROM {quote_identifier(TABLES[found[0]].name)} WHERE batch_id = ?", [batch_id]
            ).rowcount
            self.engine.execute("DELETE FROM batches WHERE batch_id = ?", [batch_id])
            rollups.refresh_batch_days(self.engine, found[0], found[1], days)
            bump_generation(self.engine, f"load:{found[1]}")
        return removed

    def set_batch_currency(self, batch_id: int, currency: str, changed_by: str | None) -> int:
        """Give an upload's rows that state no currency the ISO `currency` (a file imported without one),
        and record who did it, when, and from what to what. Rows that state a currency keep it. Returns the
        number of rows re-labelled; ValueError when the code is no ISO currency or nothing lacks one."""
        if currency not in ISO_CURRENCY_CODES:
            raise ValueError(f"{currency!r} is not an ISO currency code")
        found = self.engine.execute(
            "SELECT kind, store, file_name FROM batches WHERE batch_id = ?", [batch_id]
        ).fetchone()
        if not found:
            raise KeyError(batch_id)
        kind, store, file_name = found
        if "currency" not in TABLES[kind].column_names:
            raise ValueError(f"batch {batch_id} holds {kind}, which have no currency")
        with self.engine.exclusive_transaction(f"load:{store}"):  # not while a load or restore runs
            changed = self.engine.execute(
                f"UPDATE {quote_identifier(kind)} SET currency = ? WHERE batch_id = ? AND currency IS NULL",
                [currency, batch_id],
            ).rowcount
            if not changed:
                raise ValueError(f"every row of batch {batch_id} already states its currency")
            self.engine.execute(
                "INSERT INTO currency_changes (batch_id, store, file_name, old_currency, new_currency, rows_changed,"
                " changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [batch_id, store, file_name, "", currency, changed, changed_by, utcnow()],
            )
            rollups.refresh_batch_days(self.engine, kind, store, rollups.batch_days(self.engine, kind, batch_id))
            bump_generation(self.engine, f"load:{store}")
        return changed

    def currency_changes(self, store: str | None = None) -> list[dict[str, Any]]:
        """The currencies given to uploads after their import, newest first."""
        where, params = ("WHERE store = ?", [store]) if store else ("", [])
        return self.engine.execute(
            f"SELECT * FROM currency_changes {where} ORDER BY changed_at DESC, batch_id DESC", params
        ).records()

    def covered_days(self, batch_id: int) -> list[date]:
        """The days a batch has daily rows for (window-scoped rows cover no single day)."""
        found = covered_days_of(self.engine, [batch_id])
        if batch_id not in found:
            raise KeyError(batch_id)
        return found[batch_id]

    def count_rows(self, kind: str, store: str | None = None) -> int:
        where, params = ("WHERE store = ?", [store]) if store else ("", [])
        return int(self.engine.execute(f"SELECT count(*) FROM {quote_identifier(kind)} {where}", params).scalar())

    # -- remembered mappings and settings
    def remembered_mapping(self, signature: str) -> dict[str, Any] | None:
        row = self.engine.execute(
            "SELECT kind, platform, mapping FROM mappings WHERE signature = ?", [signature]
        ).fetchone()
        return {"kind": row[0], "platform": row[1], "mapping": json.loads(row[2])} if row else None

    def remember_mapping(self, signature: str, kind: str, platform: str, mapping: dict[str, str]) -> None:
        # Locked like a load: a restore replacing every table must not run into it half way.
        with self.engine.exclusive_transaction("mappings"):
            self.engine.execute("DELETE FROM mappings WHERE signature = ?", [signature])
            self.engine.execute(
                "INSERT INTO mappings (signature, kind, platform, mapping, updated_at) VALUES (?, ?, ?, ?, ?)",
                [signature, kind, platform, json.dumps(mapping, ensure_ascii=False), utcnow()],
            )

    def get_setting(self, key: str, store: str = "", default: Any = None) -> Any:
        row = self.engine.execute("SELECT value FROM settings WHERE store = ? AND key = ?", [store, key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any, store: str = "") -> None:
        self.set_settings({key: value}, store)

    def set_settings(self, values: dict[str, Any], store: str = "") -> None:
        """Several settings of one store, all or none (locked like a load, so never half way into a restore)."""
        with self.engine.exclusive_transaction("settings"):
            for key, value in values.items():
                self.engine.execute("DELETE FROM settings WHERE store = ? AND key = ?", [store, key])
                self.engine.execute(
                    "INSERT INTO settings (store, key, value) VALUES (?, ?, ?)",
                    [store, key, json.dumps(value, ensure_ascii=False)],
                )
            bump_generation(self.engine, "settings")


def open_warehouse(url: str | os.PathLike | None = None) -> Warehouse:
    """The one way the app, the CLI and the benchmarks open the warehouse: connect to `url` (see
    engine.database_url), bring the schema up to date, backing an older database up first."""
    engine = connect(url)
    try:
        return Warehouse(engine)
    except BaseException:
        engine.close()
        raise


def batches_of(engine: Engine, store: str | None = None) -> list[dict[str, Any]]:
    """Warehouse.batches: every table's rows counted per batch, so the Data page reads it once per data generation
    (ui/upload.py), not on every rerun."""
    live = " UNION ALL ".join(
        f"SELECT batch_id, count(*) AS n FROM {quote_identifier(t)} GROUP BY batch_id" for t in TABLES
    )
    where, params = ("WHERE b.store = ?", [store]) if store else ("", [])
    result = engine.execute(
        f"SELECT b.*, coalesce(l.n, 0) AS rows_live FROM batches b "
        f"LEFT JOIN (SELECT batch_id, sum(n) AS n FROM ({live}) u GROUP BY batch_id) l ON l.batch_id = b.batch_id "
        f"{where} ORDER BY b.batch_id DESC",
        params,
    ).records()
    for record in result:
        unreadable = []
        for key, shape in (("mapping", dict), ("skipped_reasons", dict), ("warnings", list)):
            text = record.get(key)
            try:
                value = json.loads(text) if text else shape()
            except ValueError:
                value = None
            if not isinstance(value, shape):  # a damaged cell: the list still shows, with its raw text
                value = shape()
                unreadable.append(f"{key}: {text}")
            record[key] = value
        record["warnings"].extend(unreadable)
        record["rows_live"] = int(record["rows_live"])
    return result


def covered_days_of(engine: Engine, batch_ids: Sequence[int]) -> dict[int, list[date]]:
    """Warehouse.covered_days of each batch that exists among `batch_ids`: one query per kind of table, not two per
    batch (the Data page lists every upload on each rerun)."""
    ids = list(dict.fromkeys(batch_ids))
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    kinds = engine.execute(f"SELECT batch_id, kind FROM batches WHERE batch_id IN ({marks})", ids).rows
    found: dict[int, list[date]] = {batch_id: [] for batch_id, _ in kinds}
    by_kind: dict[str, list[int]] = {}
    for batch_id, kind in kinds:
        by_kind.setdefault(kind, []).append(batch_id)
    for kind, of_kind in by_kind.items():
        table = TABLES[kind]
        if table.day_column is None:
            continue
        day, last_day = table.day_columns()
        daily = f" AND {day} = {last_day}" if table.covers_period else ""
        marks = ", ".join("?" for _ in of_kind)
        rows = engine.execute(
            f"SELECT DISTINCT batch_id, {day} FROM {quote_identifier(kind)} WHERE batch_id IN ({marks}) "
            f"AND {day} IS NOT NULL{daily} ORDER BY 1, 2",
            of_kind,
        ).rows
        for batch_id, value in rows:
            found[batch_id].append(
                value if isinstance(value, date) and not isinstance(value, datetime) else value.date()
            )
    return found
