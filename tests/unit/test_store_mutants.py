"""Warehouse behaviours no test checked until a mutation run (`make mutation MODULES=store`) changed them unnoticed:
one store's counts and batches read apart from another's, a damaged batch record, window-scoped rows in the days a
batch covers, settings of the shared scope. Each asserts values worked out by hand, on DuckDB and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pyarrow as pa
import pytest

import shopdata.store as store_module
from shopdata.store import Warehouse
from tests.unit.test_store import ads_rows, batch


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
