"""Warehouse behaviours no test checked until a mutation run (`make mutation MODULES=store`) changed them unnoticed:
one store's counts and batches read apart from another's, a damaged batch record, window-scoped rows in the days a
batch covers, settings of the shared scope; the figures pages read from the rollups after a load, a delete or a
currency change, a change to a store waiting for an upload to it, opening an older database. Each asserts values
worked out by hand, on DuckDB and PostgreSQL (those about DuckDB files or its own connection on DuckDB alone)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

import shopdata.store as store_module
from shopdata.backup import BACKUP_DIR_ENV
from shopdata.engine import connect
from shopdata.ingest.transform import WarehouseRows
from shopdata.metrics.cache import uncached_source
from shopdata.metrics.query import UNKNOWN_CURRENCY, Scope, compute
from shopdata.migrations import SCHEMA_VERSION
from shopdata.store import Warehouse, open_warehouse
from tests.support.schema_fixtures import fixture_path, statements
from tests.unit.test_store import ads_rows, batch, table_contents


def events_rows(days: list[date]) -> pa.Table:
    n = len(days)
    return pa.table(
        {
            "platform": ["taobao"] * n,
            "nk": [f"e{i}" for i in range(n)],
            "user_id": [f"u{i}" for i in range(n)],
            "behavior": ["view"] * n,
            "event_date": days,
        }
    )


def test_counts_and_batches_of_one_store_leave_the_other_out(store: Warehouse) -> None:
    a = store.load(batch("a.csv", "sha-a", store="A"), ads_rows([("k1", 1.0), ("k2", 2.0)]))
    b = store.load(batch("b.csv", "sha-b", store="B"), ads_rows([("k1", 5.0)]))
    assert (store.count_rows("ads", "A"), store.count_rows("ads", "B"), store.count_rows("ads")) == (2, 1, 3)
    assert store.count_rows("ads", "nobody") == 0
    assert [(r["batch_id"], r["rows_live"]) for r in store.batches("A")] == [(a.batch_id, 2)]
    assert [(r["batch_id"], r["rows_live"]) for r in store.batches("B")] == [(b.batch_id, 1)]
    assert [r["batch_id"] for r in store.batches()] == [b.batch_id, a.batch_id]
    assert all(isinstance(r["rows_live"], int) for r in store.batches())
    assert [r["batch_id"] for r in store.find_batches_by_sha("A", "sha-a")] == [a.batch_id]
    assert store.find_batches_by_sha("B", "sha-a") == []


def test_a_damaged_batch_record_still_lists_with_its_raw_text_as_a_warning(store: Warehouse) -> None:
    damaged = store.load(batch("a.csv", "sha-a"), ads_rows([("k1", 1.0)]))
    empty = store.load(batch("b.csv", "sha-b"), ads_rows([("k2", 1.0)]))
    store.engine.execute(
        "UPDATE batches SET mapping = ?, skipped_reasons = ? WHERE batch_id = ?", ["{not json", "[1]", damaged.batch_id]
    )
    store.engine.execute(
        "UPDATE batches SET mapping = NULL, skipped_reasons = '', warnings = NULL WHERE batch_id = ?", [empty.batch_id]
    )
    by_id = {r["batch_id"]: r for r in store.batches()}
    assert by_id[damaged.batch_id]["mapping"] == {}
    assert by_id[damaged.batch_id]["skipped_reasons"] == {}
    assert by_id[damaged.batch_id]["warnings"] == ["mapping: {not json", "skipped_reasons: [1]"]
    # Nothing recorded is not damage: empty values, no warning.
    assert (by_id[empty.batch_id]["mapping"], by_id[empty.batch_id]["skipped_reasons"]) == ({}, {})
    assert by_id[empty.batch_id]["warnings"] == []


def test_covered_days_leave_out_window_rows_and_read_daily_tables(store: Warehouse) -> None:
    daily = ads_rows([("d1", 1.0)], date(2024, 1, 2))
    window = ads_rows([("w1", 7.0)], date(2024, 1, 1)).set_column(3, "end_date", pa.array([date(2024, 1, 7)]))
    ads = store.load(batch(), pa.concat_tables([daily, window]))
    assert store.covered_days(ads.batch_id) == [date(2024, 1, 2)]
    events = store.load(
        replace(batch("log.csv", "sha-log"), platform="taobao", kind="events", report="taobao_events"),
        events_rows([date(2024, 3, 5), date(2024, 3, 1), date(2024, 3, 5)]),
    )
    assert store.covered_days(events.batch_id) == [date(2024, 3, 1), date(2024, 3, 5)]
    with pytest.raises(KeyError, match=str(events.batch_id + 1000)):
        store.covered_days(events.batch_id + 1000)
    with pytest.raises(KeyError, match=str(events.batch_id + 1000)):
        store.delete_batch(events.batch_id + 1000)


def test_settings_without_a_store_are_the_shared_ones(store: Warehouse) -> None:
    store.set_setting("language", "zh")
    assert store.get_setting("language") == "zh"
    assert store.get_setting("language", store="") == "zh"
    store.set_settings({"language": "en", "week_start": 1})
    assert (store.get_setting("language"), store.get_setting("week_start")) == ("en", 1)
    assert store.get_setting("language", store="Shop") is None


def test_a_store_column_in_the_rows_never_moves_them_to_another_store(store: Warehouse) -> None:
    rows = ads_rows([("k1", 1.0)]).append_column("store", pa.array(["Other"]))
    rows = rows.append_column("batch_id", pa.array([999_999], pa.int64()))
    loaded = store.load(batch(store="Shop"), rows)
    assert (store.count_rows("ads", "Shop"), store.count_rows("ads", "Other")) == (1, 0)
    assert [b["rows_live"] for b in store.batches() if b["batch_id"] == loaded.batch_id] == [1]


def test_the_batch_record_counts_the_rows_a_load_replaced(store: Warehouse) -> None:
    store.load(batch("jan-1-15.csv", "sha-1"), ads_rows([("d1", 1.0), ("d2", 2.0)]))
    second = store.load(batch("jan-2-31.csv", "sha-2"), ads_rows([("d2", 20.0), ("d3", 3.0)]))
    [record] = [b for b in store.batches() if b["batch_id"] == second.batch_id]
    assert (record["rows_loaded"], record["rows_replaced"]) == (2, 1)


def test_a_store_needs_a_name(store: Warehouse) -> None:
    with pytest.raises(ValueError, match="^a store needs a name$"):
        store.ensure_store("  ")


class InjectedConflict(Exception):
    """What the engine raises when two sessions' loads collide (DuckDB aborts one transaction)."""


def conflicting(store: Warehouse, monkeypatch: pytest.MonkeyPatch, conflicts: int) -> tuple[list[int], list[float]]:
    """The next `conflicts` inserts fail as a conflict; returns the insert attempts and the waits between them."""
    attempts: list[int] = []
    waits: list[float] = []
    original_insert = store.engine.insert_arrow

    def insert(table, data, columns, constants=None):
        attempts.append(data.num_rows)
        if len(attempts) <= conflicts:
            raise InjectedConflict("conflict (injected)")
        return original_insert(table, data, columns, constants)

    monkeypatch.setattr(store.engine, "insert_arrow", insert)
    monkeypatch.setattr(store.engine, "is_conflict", lambda exc: isinstance(exc, InjectedConflict))
    monkeypatch.setattr(store_module.time, "sleep", waits.append)
    return attempts, waits


def test_a_load_that_collides_is_run_again_and_counted_once(store: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts, waits = conflicting(store, monkeypatch, conflicts=2)
    result = store.load(batch(), ads_rows([("k1", 1.0), ("k2", 2.0)]))
    assert attempts == [2, 2, 2]
    # Waits grow with the attempt: 0.05 s × attempt plus up to 0.05 s of jitter.
    assert len(waits) == 2
    assert 0.05 <= waits[0] < 0.10 and 0.10 <= waits[1] < 0.15
    assert (result.rows_loaded, result.rows_replaced) == (2, 0)
    assert store.count_rows("ads") == 2
    assert [b["rows_live"] for b in store.batches()] == [2]


def test_a_load_that_keeps_colliding_gives_up_after_eight_attempts(
    store: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts, waits = conflicting(store, monkeypatch, conflicts=100)
    with pytest.raises(InjectedConflict):
        store.load(batch(), ads_rows([("k1", 1.0)]))
    assert len(attempts) == 8
    assert len(waits) == 7
    assert store.count_rows("ads") == 0 and store.batches() == []


def test_a_load_error_that_is_no_conflict_is_not_retried(store: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts, waits = conflicting(store, monkeypatch, conflicts=0)

    def disk_full(table, data, columns, constants=None):
        attempts.append(data.num_rows)
        raise OSError("disk full (injected)")

    monkeypatch.setattr(store.engine, "insert_arrow", disk_full)
    with pytest.raises(OSError, match="injected"):
        store.load(batch(), ads_rows([("k1", 1.0)]))
    assert (attempts, waits) == ([1], [])


def without_currency(rows: pa.Table) -> pa.Table:
    index = rows.column_names.index("currency")
    return rows.set_column(index, "currency", pa.array([None] * rows.num_rows, pa.string()))


def test_currencies_given_afterwards_are_listed_per_store_and_refused_with_a_reason(store: Warehouse) -> None:
    a = store.load(batch("a.csv", "sha-a", store="A"), without_currency(ads_rows([("k1", 1.0), ("k2", 2.0)])))
    b = store.load(batch("b.csv", "sha-b", store="B"), without_currency(ads_rows([("k1", 5.0)])))
    assert store.set_batch_currency(a.batch_id, "INR", "asha") == 2
    assert store.set_batch_currency(b.batch_id, "EUR", None) == 1
    assert [(c["batch_id"], c["new_currency"], c["rows_changed"]) for c in store.currency_changes("A")] == [
        (a.batch_id, "INR", 2)
    ]
    assert {c["batch_id"] for c in store.currency_changes()} == {a.batch_id, b.batch_id}
    with pytest.raises(ValueError, match="^'RUPEES' is not an ISO currency code$"):
        store.set_batch_currency(a.batch_id, "RUPEES", None)
    with pytest.raises(ValueError, match=f"^every row of batch {a.batch_id} already states its currency$"):
        store.set_batch_currency(a.batch_id, "USD", None)
    with pytest.raises(KeyError, match=str(b.batch_id + 1000)):
        store.set_batch_currency(b.batch_id + 1000, "USD", None)
    events = store.load(
        replace(batch("log.csv", "sha-log"), platform="taobao", kind="events", report="taobao_events"),
        events_rows([date(2024, 3, 5)]),
    )
    with pytest.raises(ValueError, match=f"^batch {events.batch_id} holds events, which have no currency$"):
        store.set_batch_currency(events.batch_id, "USD", None)


def test_covered_days_of_several_batches_of_several_kinds_in_one_call(store: Warehouse) -> None:
    """The Data page asks for every upload's days at once: each batch gets its own days, one of another kind
    its own table's, an unknown ID nothing."""
    first = store.load(batch(), ads_rows([("a", 1.0)], date(2024, 1, 2)))
    second = store.load(batch("b.csv", "sha-b"), ads_rows([("b", 1.0), ("c", 2.0)], date(2024, 1, 9)))
    events = store.load(
        replace(batch("log.csv", "sha-log"), platform="taobao", kind="events", report="taobao_events"),
        events_rows([date(2024, 3, 5), date(2024, 3, 1)]),
    )
    unknown = events.batch_id + 1000
    found = store_module.covered_days_of(store.engine, [second.batch_id, events.batch_id, first.batch_id, unknown])
    assert found == {
        first.batch_id: [date(2024, 1, 2)],
        second.batch_id: [date(2024, 1, 9)],
        events.batch_id: [date(2024, 3, 1), date(2024, 3, 5)],
    }
    assert store_module.covered_days_of(store.engine, []) == {}


# ---- from the run of 2026-12-06 on the split store.py (365 lines): the figures a page reads from the rollups after
# a load, a delete or a currency change; a catalogue upload among the Data page's uploads; rows prepared in DuckDB's
# own connection; open_warehouse on an older database; a store changed by one session while another uploads to it.


def spend_by_day(store: Warehouse, scope: Scope) -> list[tuple[date, float]]:
    """Spend per day as a page reads it: through a Source, which answers from the ads rollup when one covers the
    question (the bare backend the other tests use reads the base rows and would not see a stale rollup)."""
    found = compute(uncached_source(store.engine), ["spend"], scope, by=["date"]).to_pylist()
    return [(r["date"], r["spend"]) for r in found]


D1, D2, D3 = date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3)


def two_days(keys_and_spend: list[tuple[str, float, date]]) -> pa.Table:
    return pa.concat_tables([ads_rows([(k, s)], day) for k, s, day in keys_and_spend])


def test_a_deleted_batch_leaves_the_figures_of_its_days(store: Warehouse) -> None:
    first = store.load(batch("a.csv", "sha-a"), two_days([("k1", 1.0, D1), ("k2", 2.0, D2)]))
    store.load(batch("b.csv", "sha-b"), two_days([("k3", 4.0, D3)]))
    assert spend_by_day(store, Scope("Shop")) == [(D1, 1.0), (D2, 2.0), (D3, 4.0)]
    store.delete_batch(first.batch_id)
    assert spend_by_day(store, Scope("Shop")) == [(D3, 4.0)]


def test_a_currency_given_afterwards_moves_the_figures_to_it(store: Warehouse) -> None:
    """Meta's exports state no currency: its money is in an unknown one until the user names it, then in that one
    on every page (the rollups the pages read are refreshed with the rows)."""
    loaded = store.load(batch(), without_currency(two_days([("k1", 1.0, D1), ("k2", 2.0, D2)])))
    assert spend_by_day(store, Scope("Shop", currency=UNKNOWN_CURRENCY)) == [(D1, 1.0), (D2, 2.0)]
    assert spend_by_day(store, Scope("Shop", currency="INR")) == []
    store.set_batch_currency(loaded.batch_id, "INR", "asha")
    assert spend_by_day(store, Scope("Shop", currency="INR")) == [(D1, 1.0), (D2, 2.0)]
    assert spend_by_day(store, Scope("Shop", currency=UNKNOWN_CURRENCY)) == []


def test_a_deleted_store_leaves_no_figures_to_a_new_store_of_its_name(store: Warehouse) -> None:
    store.load(batch(store="A"), two_days([("k1", 1.0, D1), ("k2", 2.0, D2)]))
    store.load(batch(store="B"), two_days([("k1", 5.0, D1)]))
    assert store.delete_store("A") == 2
    assert spend_by_day(store, Scope("A")) == []
    store.load(batch("again.csv", "sha-again", store="A"), two_days([("k9", 7.0, D3)]))
    assert spend_by_day(store, Scope("A")) == [(D3, 7.0)]
    assert spend_by_day(store, Scope("B")) == [(D1, 5.0)]


def test_a_catalogue_upload_listed_first_leaves_the_other_uploads_their_days(store: Warehouse) -> None:
    """A product catalogue has no day column: it covers no day, and the uploads after it still get theirs."""
    catalogue = store.load(
        replace(batch("catalogue.csv", "sha-cat"), platform="shopify", kind="products", report="shopify_products"),
        pa.table({"platform": ["shopify"] * 2, "nk": ["p1", "p2"], "product_id": ["p1", "p2"], "name": ["Mug", "Cup"]}),
    )
    ads = store.load(batch(), two_days([("k1", 1.0, D2)]))
    assert store_module.covered_days_of(store.engine, [catalogue.batch_id, ads.batch_id]) == {
        catalogue.batch_id: [],
        ads.batch_id: [D2],
    }
    assert store.covered_days(catalogue.batch_id) == []


def test_rows_prepared_in_the_warehouse_connection_go_in_without_a_trip_through_arrow(
    duck_store: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DuckDB warehouse's uploads are prepared in its own connection and inserted there with one INSERT … SELECT
    (ingest/transform.py's WarehouseRows): read out into Arrow first, a million-row file would cost its biggest
    copy again. The rows arrive all the same, the earlier upload's overlapping row replaced."""
    duck_store.load(batch("a.csv", "sha-a"), ads_rows([("k1", 1.0), ("k2", 2.0)]))
    con = duck_store.engine.ingest_connection()
    con.register("prepared_rows", ads_rows([("k2", 20.0), ("k3", 3.0)]))
    columns = ["platform", "nk", "date", "end_date", "grain", "campaign", "spend", "currency"]
    rows = WarehouseRows(con, f"SELECT {', '.join(columns)} FROM prepared_rows", columns, 2)

    def read_out(self: WarehouseRows) -> pa.Table:
        raise AssertionError("the prepared rows were read out into Arrow")

    monkeypatch.setattr(WarehouseRows, "to_arrow", read_out)
    result = duck_store.load(batch("b.csv", "sha-b"), rows)
    assert (result.rows_loaded, result.rows_replaced) == (2, 1)
    assert table_contents(duck_store) == [
        ("k1", "campaign k1", 1.0),
        ("k2", "campaign k2", 20.0),
        ("k3", "campaign k3", 3.0),
    ]


def test_opening_an_older_database_copies_it_aside_first_and_keeps_its_uploads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """open_warehouse(url) opens the database at `url`, brings an older one up to date after a backup of it
    (tests/fixtures/schema: a database as the previous version left it, two uploads), and leaves another file
    untouched."""
    backups = tmp_path / "backups"
    monkeypatch.setenv(BACKUP_DIR_ENV, str(backups))
    older, other = tmp_path / "older.duckdb", tmp_path / "other.duckdb"
    previous = SCHEMA_VERSION - 1
    with connect(str(older)) as engine:
        for statement in statements(fixture_path(previous).read_text(encoding="utf-8")):
            engine.execute(statement)
    warehouse = open_warehouse(older)
    try:
        assert len(list(backups.glob(f"before-migration-{previous}-to-{SCHEMA_VERSION}-*"))) == 1
        assert sorted(b["batch_id"] for b in warehouse.batches()) == [1, 2]
    finally:
        warehouse.engine.close()
    fresh = open_warehouse(other)
    try:
        assert fresh.batches() == [] and fresh.stores() == []
    finally:
        fresh.engine.close()
    assert len(list(backups.iterdir())) == 1  # a new database has nothing to copy


WHILE_AN_UPLOAD_RUNS = {
    # what a second session does to store A while an upload of k2 to it is half way; what is left afterwards
    "delete the store": (lambda w, first: w.delete_store("A"), 2, []),
    "delete the first upload": (lambda w, first: w.delete_batch(first), 1, [("k2", 2.0, "USD")]),
    "give the first upload a currency": (
        lambda w, first: w.set_batch_currency(first, "INR", "asha"),
        1,
        [("k1", 1.0, "INR"), ("k2", 2.0, "USD")],
    ),
}


@pytest.mark.parametrize("change", WHILE_AN_UPLOAD_RUNS)
def test_a_change_to_a_store_waits_for_an_upload_to_it_and_then_sees_its_rows(
    change: str, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two teammates' sessions: one uploads to store A while the other deletes the store, deletes an upload or gives
    it a currency. The change waits for the upload (the same lock as a load of that store), then sees its rows: a
    store deleted half way through an upload does not come back with the upload's rows, and neither fails with a
    conflict."""
    work, expected_result, expected_rows = WHILE_AN_UPLOAD_RUNS[change]
    uploading, changing = Warehouse(connect(warehouse_url)), Warehouse(connect(warehouse_url))
    inserted, release = threading.Event(), threading.Event()
    original_insert = uploading.engine.insert_arrow

    def held_insert(table, data, columns, constants=None):
        original_insert(table, data, columns, constants)
        inserted.set()
        release.wait(20)

    errors: list[BaseException] = []
    results: dict[str, object] = {}

    def run(name: str, action) -> None:
        try:
            results[name] = action()
        except BaseException as exc:  # every failure is the finding, whatever its type
            errors.append(exc)

    try:
        first = uploading.load(batch(store="A"), without_currency(ads_rows([("k1", 1.0)]))).batch_id
        monkeypatch.setattr(uploading.engine, "insert_arrow", held_insert)
        again = batch("b.csv", "sha-b", "A")
        upload = threading.Thread(target=run, args=("upload", lambda: uploading.load(again, ads_rows([("k2", 2.0)]))))
        other = threading.Thread(target=run, args=("change", lambda: work(changing, first)))
        try:
            upload.start()
            assert inserted.wait(20)
            other.start()
            other.join(0.5)
            assert other.is_alive(), "the change did not wait for the upload to the same store"
        finally:
            release.set()
            upload.join(20)
            other.join(20)
        assert errors == []
        assert results["change"] == expected_result
        found = changing.engine.execute("SELECT nk, spend, currency FROM ads WHERE store = 'A' ORDER BY nk").rows
        assert [tuple(r) for r in found] == expected_rows
    finally:
        uploading.engine.close()
        changing.engine.close()
