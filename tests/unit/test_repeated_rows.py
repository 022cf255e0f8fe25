"""Genuinely repeated identical rows in one file (two identical events in a log, two identical order lines)
are all kept: on the first load, when the same file is loaded again, and when another batch is deleted."""

from __future__ import annotations

import pytest

from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.store import Warehouse

EVENTS = (
    "user_id,item_id,behavior_type,time\n"
    "u1,i9,cart,2026-11-01 10:00:00\n"
    "u1,i9,cart,2026-11-01 10:00:00\n"  # the same click logged twice: two events
    "u2,i9,buy,2026-11-01 11:00:00\n"
)
OTHER_EVENTS = "user_id,item_id,behavior_type,time\nu3,i8,pv,2026-11-02 09:00:00\n"
ORDERS = (
    "order_id,order_time,status,product_id,quantity,amount\n"
    "A1,2026-11-01 09:00:00,paid,P1,1,20.00\n"
    "A1,2026-11-01 09:00:00,paid,P1,1,20.00\n"  # one order with two identical lines
    "A2,2026-11-01 10:00:00,paid,P2,1,30.00\n"
)
OTHER_ORDERS = "order_id,order_time,status,product_id,quantity,amount\nB1,2026-11-02 09:00:00,paid,P3,1,5.00\n"

# (table, file, another file, the repeated row's condition, its bound values)
CASES = [
    ("events", EVENTS, OTHER_EVENTS, "user_id = ? AND behavior = ?", ["u1", "cart"]),
    ("orders", ORDERS, OTHER_ORDERS, "order_id = ?", ["A1"]),
]


def load(warehouse: Warehouse, name: str, text: str, kind: str):
    [result] = ingest_file(name, text.encode(), warehouse, Options(store="Shop", kind=kind))
    assert result.status == "loaded", result.error
    return result


def repeated(warehouse: Warehouse, table: str, condition: str, values: list[str]) -> int:
    [(count,)] = warehouse.engine.execute(f"SELECT count(*) FROM {table} WHERE {condition}", values).fetchall()
    return count


@pytest.mark.parametrize("table, data, other, condition, values", CASES, ids=[c[0] for c in CASES])
def test_repeated_identical_rows_survive_load_reload_and_delete(
    store: Warehouse, table: str, data: str, other: str, condition: str, values: list[str]
) -> None:
    rows = data.count("\n") - 1  # the data lines of the file, the header aside
    first = load(store, f"{table}.csv", data, table)
    assert first.rows_loaded == rows
    assert repeated(store, table, condition, values) == 2
    assert store.count_rows(table) == rows

    again = load(store, f"{table}.csv", data, table)  # the same file again replaces its rows one for one
    assert (again.rows_loaded, again.rows_replaced) == (rows, rows)
    assert repeated(store, table, condition, values) == 2
    assert store.count_rows(table) == rows

    unrelated = load(store, f"{table}_other.csv", other, table)
    assert store.count_rows(table) == rows + 1
    assert store.delete_batch(unrelated.batch_id) == 1
    assert repeated(store, table, condition, values) == 2
    assert store.count_rows(table) == rows

    assert store.delete_batch(again.batch_id) == rows
    assert store.count_rows(table) == 0


def test_a_later_export_holding_a_repeated_row_once_replaces_one_copy_not_both(store: Warehouse) -> None:
    """Loads replace rows one for one (shopdata/ingest/transform.py, _unique_key_sql): an export that logs the
    event once stands for one of the two the first log holds, so the other copy is neither replaced nor lost when
    that export is deleted again. This is where the occurrence number shows: without it both copies share one
    natural key and a one-line file silently removes both."""
    load(store, "events.csv", EVENTS, "events")
    once = "user_id,item_id,behavior_type,time\nu1,i9,cart,2026-11-01 10:00:00\n"
    later = load(store, "events_once.csv", once, "events")
    assert later.rows_replaced == 1
    assert repeated(store, "events", "user_id = ? AND behavior = ?", ["u1", "cart"]) == 2
    assert store.delete_batch(later.batch_id) == 1
    assert repeated(store, "events", "user_id = ? AND behavior = ?", ["u1", "cart"]) == 1
    assert store.count_rows("events") == 2  # the first log's second copy of the click and its other event
