"""Engine: the warehouse-wide lock a restore takes against loads, and sequences — on DuckDB and PostgreSQL."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from shopdata.engine import connect
from shopdata.migrations import BATCH_SEQUENCE
from shopdata.store import Warehouse

# Long enough for a thread that is not held back to have run; ordering, not speed, is asserted.
SETTLE_SECONDS = 0.3


def _run_while_held(hold, other, events: list[str]) -> None:
    """Enter `hold`, start `other` in a thread, give it time, then leave `hold`; record the order."""
    entered_other = threading.Event()

    def run_other() -> None:
        with other():
            events.append("other in")
            entered_other.set()

    with hold():
        events.append("held in")
        thread = threading.Thread(target=run_other)
        thread.start()
        time.sleep(SETTLE_SECONDS)
        events.append("held out")
    thread.join(timeout=30)
    assert entered_other.is_set()


def test_a_restore_waits_for_running_loads_and_loads_wait_for_a_restore(warehouse_url: str) -> None:
    Warehouse(connect(warehouse_url)).engine.close()  # migrated once, before two sessions open it
    with connect(warehouse_url) as loader, connect(warehouse_url) as restorer:
        events: list[str] = []
        _run_while_held(lambda: loader.exclusive_transaction("load:Shop A"), restorer.warehouse_exclusive, events)
        assert events == ["held in", "held out", "other in"]

        events = []
        _run_while_held(restorer.warehouse_exclusive, lambda: loader.exclusive_transaction("load:Shop B"), events)
        assert events == ["held in", "held out", "other in"]


def test_settings_and_mappings_wait_for_a_restore(warehouse_url: str) -> None:
    Warehouse(connect(warehouse_url)).engine.close()
    with connect(warehouse_url) as editor, connect(warehouse_url) as restorer:
        store = Warehouse(editor)
        for write in (
            lambda: store.set_settings({"margin": 0.3, "margins": {"A1": 0.25}}, "Shop A"),
            lambda: store.remember_mapping("sig", "ads", "meta", {"spend": "Amount spent"}),
        ):
            events: list[str] = []

            @contextlib.contextmanager
            def writing(write=write):
                write()
                yield

            _run_while_held(restorer.warehouse_exclusive, writing, events)
            assert events == ["held in", "held out", "other in"]
        assert store.get_setting("margins", "Shop A") == {"A1": 0.25}
        assert store.remembered_mapping("sig")["mapping"] == {"spend": "Amount spent"}


def test_loads_into_different_stores_still_run_side_by_side(warehouse_url: str) -> None:
    Warehouse(connect(warehouse_url)).engine.close()
    with connect(warehouse_url) as first, connect(warehouse_url) as second:
        events: list[str] = []
        _run_while_held(
            lambda: first.exclusive_transaction("load:Shop A"),
            lambda: second.exclusive_transaction("load:Shop B"),
            events,
        )
        assert events == ["held in", "other in", "held out"]


def test_a_sequence_is_advanced_past_a_value_and_never_moved_back(store: Warehouse) -> None:
    engine = store.engine
    assert engine.sequence_last_value(BATCH_SEQUENCE) == 0
    assert engine.execute("SELECT nextval('batch_seq')").scalar() == 1
    engine.advance_sequence_past(BATCH_SEQUENCE, 41)
    assert engine.sequence_last_value(BATCH_SEQUENCE) == 41
    assert engine.execute("SELECT nextval('batch_seq')").scalar() == 42
    engine.advance_sequence_past(BATCH_SEQUENCE, 5)
    assert engine.execute("SELECT nextval('batch_seq')").scalar() == 43


def test_a_materialized_table_is_computed_once_per_generation_and_postgresql_knows_its_size(store: Warehouse) -> None:
    """Engine.materialized: the expression's rows once per generation and key (an older generation's table is
    dropped), its values bound; on PostgreSQL analysed at once (autovacuum never analyses a temporary table,
    and a planner that thinks it empty picks nested loops over it)."""
    import ibis

    from shopdata.metrics.query import scope_param

    engine = store.engine
    param = scope_param(0, "store")
    expr = ibis.memtable({"n": [1, 2, 3]}).mutate(store=param)  # an in-memory table cannot be templated
    assert engine.materialized(1, "k", expr, {param.op(): "S"}) is None
    store.ensure_store("S")
    stores = engine.ibis_table("stores")
    expr = stores.filter(stores.name == param).select("name")
    first = engine.materialized(1, "k", expr, {param.op(): "S"})
    assert first is not None and first.to_pyarrow().to_pylist() == [{"name": "S"}]
    name = first.get_name()
    assert engine.materialized(1, "k", expr, {param.op(): "S"}).get_name() == name  # the same table again
    newer = engine.materialized(2, "k", expr, {param.op(): "S"})
    assert newer.get_name() != name and newer.to_pyarrow().to_pylist() == [{"name": "S"}]
    with pytest.raises(engine.driver_errors):  # the older generation's table is gone
        engine.execute(f'SELECT count(*) FROM "{name}"')
    if engine.dialect == "postgres":
        found = engine.execute("SELECT reltuples FROM pg_class WHERE relname = ?", [newer.get_name()]).scalar()
        assert found == 1  # -1 until analysed


@pytest.mark.parametrize("with_parameter", [True, False])
def test_sql_with_a_percent_sign_is_compiled_once_and_kept_as_a_temporary_table(
    store: Warehouse, with_parameter: bool
) -> None:
    """A weekday's `% 7` and a LIKE's '%' in compiled SQL: templated (compiled once) and run with its values on
    both engines, with a scope parameter or none (psycopg reads % as a placeholder's start: %% there)."""

    from shopdata.engine import _compiled_template
    from shopdata.metrics.query import scope_param

    engine = store.engine
    for name in ("Shop 1", "Shop 42", "Other"):
        store.ensure_store(name)
    stores = engine.ibis_table("stores")
    param = scope_param(0, "store")
    # 42 % 7 = 0, 1 % 7 = 1; "Other" has no number (null).
    number = stores.name.re_extract("([0-9]+)", 1).nullif("").cast("int64")
    kept = stores.name.like("Shop%") & (stores.name != param) if with_parameter else stores.name.like("Shop%")
    expr = stores.filter(kept).select("name", rest=number % 7).order_by("name")
    values = {param.op(): "nobody"} if with_parameter else {}
    assert _compiled_template(engine, expr) is not None
    expected = [{"name": "Shop 1", "rest": 1}, {"name": "Shop 42", "rest": 0}]
    assert engine.ibis_arrow(expr, values).to_pylist() == expected
    made = engine.materialized(1, ("percent", with_parameter), expr, values)
    assert made is not None and made.order_by("name").to_pyarrow().to_pylist() == expected


@pytest.mark.postgres
def test_postgresql_sessions_sort_and_hash_in_at_least_32_mb_and_a_server_set_higher_keeps_its_figure(
    pg_url: str,
) -> None:
    # At the server's default of 4 MB, the funnel's distinct users over 90 days of a 10M-event store spilled to disk.
    engine = connect(pg_url)
    try:
        assert engine.execute("SELECT pg_size_bytes(current_setting('work_mem'))").one() == (32 * 1024 * 1024,)
        database = engine.execute("SELECT current_database()").one()[0]
        engine.execute(f"ALTER DATABASE \"{database}\" SET work_mem = '96MB'")
    finally:
        engine.close()
    engine = connect(pg_url)
    try:
        assert engine.execute("SELECT pg_size_bytes(current_setting('work_mem'))").one() == (96 * 1024 * 1024,)
    finally:
        engine.close()
