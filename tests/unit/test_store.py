"""Store: migrations, idempotent loads, overlap, delete, atomicity — on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from shopdata.backup import backup_before_migration
from shopdata.migrations import SCHEMA_VERSION, migrate
from shopdata.store import TABLES, BatchInfo, Warehouse


def ads_rows(keys_and_spend: list[tuple[str, float]], day: date = date(2024, 1, 1)) -> pa.Table:
    """Canonical ads rows whose natural key is the given nk."""
    n = len(keys_and_spend)
    return pa.table(
        {
            "platform": ["meta"] * n,
            "nk": [k for k, _ in keys_and_spend],
            "date": [day] * n,
            "end_date": [day] * n,
            "grain": ["campaign"] * n,
            "campaign": [f"campaign {k}" for k, _ in keys_and_spend],
            "spend": [s for _, s in keys_and_spend],
            "currency": ["USD"] * n,
        }
    )


def batch(name: str = "a.csv", sha: str = "sha-a", store: str = "Shop") -> BatchInfo:
    return BatchInfo(
        store,
        name,
        sha,
        10,
        "meta",
        "ads",
        "meta_ads",
        {"spend": "Amount spent"},
        date_from=date(2024, 1, 1),
        date_to=date(2024, 1, 1),
    )


def table_contents(store: Warehouse, table: str = "ads") -> list[tuple]:
    return store.engine.execute(f"SELECT nk, campaign, spend FROM {table} ORDER BY nk").rows


def spend_total(store: Warehouse) -> float:
    return store.engine.execute("SELECT coalesce(sum(spend), 0) FROM ads").scalar()


def test_migrate_creates_every_table_and_is_idempotent(store: Warehouse) -> None:
    for name in TABLES:
        assert store.engine.table_exists(name)
    assert store.engine.execute("SELECT max(version) FROM schema_version").scalar() == SCHEMA_VERSION
    assert migrate(store.engine, backup_before_migration) == SCHEMA_VERSION  # nothing left to apply
    assert store.engine.execute("SELECT count(*) FROM schema_version").scalar() == SCHEMA_VERSION


def test_same_rows_twice_replace_instead_of_doubling(store: Warehouse) -> None:
    rows = ads_rows([("k1", 10.0), ("k2", 2.5)])
    first = store.load(batch(), rows)
    before = table_contents(store)
    second = store.load(batch(), rows)
    assert (first.rows_loaded, first.rows_replaced) == (2, 0)
    assert (second.rows_loaded, second.rows_replaced) == (2, 2)
    assert table_contents(store) == before
    assert spend_total(store) == pytest.approx(12.5)
    # The first upload of the same file lost all its rows to the second: one batch remains.
    assert [(b["batch_id"], b["rows_live"]) for b in store.batches()] == [(second.batch_id, 2)]


def test_a_different_file_keeps_its_batch_even_when_all_rows_are_replaced(store: Warehouse) -> None:
    first = store.load(batch("jan.csv", "sha-1"), ads_rows([("k1", 1.0)]))
    second = store.load(batch("jan-again-edited.csv", "sha-2"), ads_rows([("k1", 2.0)]))
    assert [(b["batch_id"], b["rows_live"]) for b in store.batches()] == [(second.batch_id, 1), (first.batch_id, 0)]


def test_overlapping_exports_count_each_row_once(store: Warehouse) -> None:
    store.load(batch("jan-1-15.csv", "sha-1"), ads_rows([("d1", 1.0), ("d2", 2.0), ("d3", 3.0)]))
    result = store.load(batch("jan-10-31.csv", "sha-2"), ads_rows([("d3", 30.0), ("d4", 4.0)]))
    assert result.rows_replaced == 1
    assert spend_total(store) == pytest.approx(1.0 + 2.0 + 30.0 + 4.0)


def test_delete_batch_removes_exactly_its_rows(store: Warehouse) -> None:
    first = store.load(batch("a.csv", "sha-1"), ads_rows([("d1", 1.0), ("d2", 2.0)]))
    second = store.load(batch("b.csv", "sha-2"), ads_rows([("d2", 20.0), ("d3", 3.0)]))
    assert store.delete_batch(first.batch_id) == 1  # d1 only; d2 now belongs to the second batch
    assert table_contents(store) == [("d2", "campaign d2", 20.0), ("d3", "campaign d3", 3.0)]
    assert store.delete_batch(second.batch_id) == 2
    assert table_contents(store) == []
    assert store.batches() == []
    with pytest.raises(KeyError):
        store.delete_batch(second.batch_id)


def test_failure_mid_load_leaves_the_database_as_it_was(store: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    store.load(batch("a.csv", "sha-1"), ads_rows([("d1", 1.0), ("d2", 2.0)]))
    before_rows, before_batches = table_contents(store), store.batches()
    inserted = []
    original_insert, original_execute = store.engine.insert_arrow, store.engine.execute

    def recording_insert(table, data, columns, constants=None):
        inserted.append(data.num_rows)
        return original_insert(table, data, columns, constants)

    def failing_execute(sql, params=()):
        if sql.startswith('DELETE FROM "ads"'):  # after the new rows went in, before the batch record
            raise RuntimeError("disk full (injected)")
        return original_execute(sql, params)

    monkeypatch.setattr(store.engine, "insert_arrow", recording_insert)
    monkeypatch.setattr(store.engine, "execute", failing_execute)
    with pytest.raises(RuntimeError, match="injected"):
        store.load(batch("b.csv", "sha-2"), ads_rows([("d2", 99.0), ("d3", 3.0)]))
    monkeypatch.undo()
    assert inserted == [2]  # the failure came after the new rows were written
    assert table_contents(store) == before_rows
    assert store.batches() == before_batches
    # The connection is usable afterwards and the next load works.
    assert store.load(batch("b.csv", "sha-2"), ads_rows([("d3", 3.0)])).rows_loaded == 1


def test_stores_settings_and_remembered_mappings(store: Warehouse) -> None:
    store.ensure_store("Shop A")
    store.ensure_store("Shop A")
    store.ensure_store("Demo store", is_demo=True)
    assert [(s["name"], s["is_demo"]) for s in store.stores()] == [("Shop A", False), ("Demo store", True)]
    store.set_setting("gross_margin", 0.35, store="Shop A")
    store.set_setting("gross_margin", 0.4, store="Shop A")
    assert store.get_setting("gross_margin", store="Shop A") == 0.4
    assert store.get_setting("gross_margin", store="Other", default=0.3) == 0.3
    store.remember_mapping("sig", "ads", "meta", {"spend": "Spent"})
    assert store.remembered_mapping("sig") == {"kind": "ads", "platform": "meta", "mapping": {"spend": "Spent"}}
    assert store.remembered_mapping("other") is None


def test_delete_store_removes_its_rows_batches_and_settings_only(store: Warehouse) -> None:
    store.load(batch(store="A"), ads_rows([("k1", 1.0)]))
    store.load(batch(store="B"), ads_rows([("k1", 5.0)]))  # same key, other store: independent
    store.set_setting("x", 1, store="A")
    assert store.delete_store("A") == 1
    assert [s["name"] for s in store.stores()] == ["B"]
    assert spend_total(store) == pytest.approx(5.0)
    assert store.get_setting("x", store="A") is None


def test_covered_days_lists_daily_rows_only(store: Warehouse) -> None:
    loaded = store.load(
        batch(), pa.concat_tables([ads_rows([("a", 1.0)], date(2024, 1, 1)), ads_rows([("b", 1.0)], date(2024, 1, 3))])
    )
    assert store.covered_days(loaded.batch_id) == [date(2024, 1, 1), date(2024, 1, 3)]


def test_batch_record_keeps_what_the_upload_said(store: Warehouse) -> None:
    info = batch()
    info.rows_skipped, info.skipped_reasons, info.warnings = 3, {"totals row": 3}, ["note"]
    info.uploaded_by = "lin"
    loaded = store.load(info, ads_rows([("a", 1.0)]))
    record = store.batches("Shop")[0]
    assert record["batch_id"] == loaded.batch_id
    assert (record["rows_loaded"], record["rows_skipped"], record["uploaded_by"]) == (1, 3, "lin")
    assert record["skipped_reasons"] == {"totals row": 3}
    assert record["warnings"] == ["note"]
    assert record["mapping"] == {"spend": "Amount spent"}
    assert str(record["date_from"]) == "2024-01-01"


def test_twenty_sessions_opening_a_new_database_at_once_migrate_it_once(warehouse_url: str) -> None:
    """The first morning: the whole team opens the link before anyone has created the database."""
    import threading

    from shopdata.engine import connect

    sessions = 20
    start = threading.Barrier(sessions)
    errors: list[BaseException] = []
    engines = []

    def open_session() -> None:
        try:
            engine = connect(warehouse_url)
            engines.append(engine)
            start.wait()
            Warehouse(engine)
        except BaseException as exc:  # every failure is the finding, whatever its type
            errors.append(exc)

    threads = [threading.Thread(target=open_session) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        versions = engines[0].execute("SELECT version FROM schema_version ORDER BY version").rows
        assert versions == [(v,) for v in range(1, SCHEMA_VERSION + 1)]  # each migration applied once
    finally:
        for engine in engines:
            engine.close()
