"""The results cache: keyed by warehouse, data generation, function and arguments; every change to the data
(a load, a batch or store delete, a settings change, a restore) in any session makes the next rerun of
every session compute afresh. On DuckDB (two connections to one file, as two browser sessions have) and
PostgreSQL."""

from __future__ import annotations

import math
import threading
from datetime import date

import pandas as pd
import pytest

from shopdata.backup import restore_backup, write_backup
from shopdata.generation import data_generation
from shopdata.metrics import cache, traffic
from shopdata.metrics.cache import RESULTS, ResultCache, Source, UncacheableArgument, cached, source
from shopdata.metrics.query import Scope, totals
from shopdata.store import Warehouse, open_warehouse
from tests.unit.metrics.test_query import load

D1, D2, D3 = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)
SHOP = dict(platform="shopify", grain="source", currency="USD", device="desktop", source_level=1)


def _row(day: date, source_1: str, visitors: float) -> dict:
    return dict(SHOP, date=day, end_date=day, source_1=source_1, visitors=visitors)


def _visitors(src: Source, scope: Scope) -> float | None:
    return totals(src, ["visitors"], scope)["visitors"]


@pytest.fixture(autouse=True)
def empty_cache():
    RESULTS.clear()
    yield
    RESULTS.clear()


@pytest.fixture
def teammate(warehouse_url: str, store: Warehouse):
    """A second session on the same database: its own connection."""
    other = open_warehouse(warehouse_url)
    yield other
    other.engine.close()


def test_a_load_in_one_session_shows_on_the_next_rerun_of_another(store, teammate):
    load(store, "traffic", [_row(D1, "direct", 100.0)], "first")
    scope = Scope("S", D1, D3)
    rerun = source(store)
    assert _visitors(rerun, scope) == 100.0

    load(teammate, "traffic", [_row(D2, "direct", 50.0)], "second")
    # Within the rerun that read the old generation the cached result stands (it was read before the load)…
    assert _visitors(rerun, scope) == 100.0
    # …and the next rerun sees the teammate's rows.
    next_rerun = source(store)
    assert next_rerun.generation > rerun.generation
    assert _visitors(next_rerun, scope) == 150.0


def test_results_are_reused_within_a_generation(store):
    load(store, "traffic", [_row(D1, "direct", 100.0)], "first")
    rerun = source(store)
    _visitors(rerun, Scope("S", D1, D3))
    misses = RESULTS.misses
    assert _visitors(source(store), Scope("S", D1, D3)) == 100.0  # a new rerun, nothing changed
    assert RESULTS.misses == misses


def test_never_another_stores_scopes_or_arguments_result(store):
    load(store, "traffic", [_row(D1, "direct", 100.0), _row(D2, "ads", 30.0)], "s")
    store.load(
        _batch("T", "t"),
        _rows_for("T", [_row(D1, "direct", 7.0)]),
    )
    src = source(store)
    assert _visitors(src, Scope("S", D1, D3)) == 130.0
    assert _visitors(src, Scope("T", D1, D3)) == 7.0
    assert _visitors(src, Scope("S", D2, D3)) == 30.0
    assert _visitors(src, Scope("S", D1, D1)) == 100.0
    assert totals(src, ["visitors", "revenue"], Scope("S", D1, D3)) == {"visitors": 130.0, "revenue": None}
    by_source = traffic.source_table(src, Scope("S", D1, D3))
    assert dict(zip(by_source["source"], by_source["visitors"], strict=True)) == {"direct": 100.0, "ads": 30.0}
    under_ads = traffic.source_table(src, Scope("S", D1, D3), ("ads",))
    assert under_ads.empty  # the level-2 children of "ads": none, not the level-1 table again


def test_never_another_warehouses_result(store, tmp_path):
    other = open_warehouse(str(tmp_path / "other.duckdb"))
    try:
        load(store, "traffic", [_row(D1, "direct", 100.0)], "a")
        load(other, "traffic", [_row(D1, "direct", 1.0)], "a")
        first, second = source(store), source(other)
        assert first.generation == second.generation  # the same counter value, different databases
        assert _visitors(first, Scope("S", D1, D3)) == 100.0
        assert _visitors(second, Scope("S", D1, D3)) == 1.0
    finally:
        other.engine.close()


def test_a_batch_delete_invalidates(store, teammate):
    load(store, "traffic", [_row(D1, "direct", 100.0)], "first")
    load(store, "traffic", [_row(D2, "direct", 50.0)], "second")
    assert _visitors(source(store), Scope("S", D1, D3)) == 150.0
    second = next(b["batch_id"] for b in teammate.batches("S") if b["file_name"] == "second")
    teammate.delete_batch(second)
    assert _visitors(source(store), Scope("S", D1, D3)) == 100.0


def test_a_store_delete_invalidates(store, teammate):
    load(store, "traffic", [_row(D1, "direct", 100.0)], "first")
    assert _visitors(source(store), Scope("S", D1, D3)) == 100.0
    teammate.delete_store("S")
    assert _visitors(source(store), Scope("S", D1, D3)) is None


def test_a_settings_change_invalidates(store, teammate):
    before = source(store).generation
    teammate.set_settings({"gross_margin": 0.4}, store="S")
    assert source(store).generation > before


def test_a_restore_invalidates_and_moves_the_generation_past_every_earlier_one(store, teammate, tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPDATA_BACKUP_DIR", str(tmp_path / "backups"))
    load(store, "traffic", [_row(D1, "direct", 100.0)], "first")
    backup = write_backup(store.engine, tmp_path / "at-100.duckdb")
    for n in range(3):
        load(teammate, "traffic", [_row(D2, "direct", 10.0 + n)], f"later-{n}")
    highest = source(store)
    assert _visitors(highest, Scope("S", D1, D3)) == 100.0 + 10.0 + 11.0 + 12.0
    restore_backup(teammate, backup.path)
    after = source(store)
    assert after.generation > highest.generation
    assert _visitors(after, Scope("S", D1, D3)) == 100.0


def test_the_generation_only_grows_and_counts_every_writer(store, teammate):
    seen = [data_generation(store.engine)]
    load(store, "traffic", [_row(D1, "direct", 1.0)], "a")
    seen.append(data_generation(teammate.engine))
    store.load(_batch("T", "t"), _rows_for("T", [_row(D1, "direct", 2.0)]))
    seen.append(data_generation(store.engine))
    teammate.set_settings({"own_shop": "x"}, store="T")
    seen.append(data_generation(store.engine))
    teammate.delete_store("T")
    seen.append(data_generation(store.engine))
    assert seen == sorted(set(seen)) and len(seen) == 5


def test_a_caller_cannot_change_a_cached_result(store):
    load(store, "traffic", [_row(D1, "direct", 100.0), _row(D1, "ads", 30.0)], "first")
    src = source(store)
    frame = traffic.source_table(src, Scope("S", D1, D3))
    frame.loc[:, "visitors"] = -1.0
    frame.loc[frame.index[0], "source"] = "changed"
    again = traffic.source_table(src, Scope("S", D1, D3))
    assert dict(zip(again["source"], again["visitors"], strict=True)) == {"direct": 100.0, "ads": 30.0}


def test_uncached_backends_always_compute(store):
    load(store, "traffic", [_row(D1, "direct", 100.0)], "first")
    assert _visitors(cache.uncached_source(store.engine), Scope("S", D1, D3)) == 100.0
    assert _visitors(store.engine.ibis(), Scope("S", D1, D3)) == 100.0
    assert len(RESULTS) == 0


# ---------------------------------------------------------------- the cache itself, without a database


def test_least_recently_used_entries_go_first():
    results = ResultCache(max_entries=2)
    results.put(("u", 1, "a"), 1)
    results.put(("u", 1, "b"), 2)
    assert results.get(("u", 1, "a")) == (True, 1)  # "a" is now the most recent
    results.put(("u", 1, "c"), 3)
    assert results.get(("u", 1, "b")) == (False, None)
    assert results.get(("u", 1, "a")) == (True, 1) and results.get(("u", 1, "c")) == (True, 3)


def test_a_newer_generation_drops_the_older_ones_of_that_warehouse_only():
    results = ResultCache()
    results.put(("u", 1, "a"), 1)
    results.put(("v", 1, "a"), 2)
    results.forget_older("u", 2)
    assert results.get(("u", 1, "a")) == (False, None)
    assert results.get(("v", 1, "a")) == (True, 2)


def test_arguments_that_cannot_be_keyed_are_refused(store):
    @cached
    def rows_of(backend, frame):
        return len(frame)

    with pytest.raises(UncacheableArgument):
        rows_of(source(store), pd.DataFrame({"a": [1]}))


def test_threads_share_one_cache(store):
    calls = []

    @cached
    def slow_square(backend, n):
        calls.append(n)
        return {"square": n * n}

    src = source(store)
    found: list[dict] = []

    def worker() -> None:
        found.extend(slow_square(src, n) for n in range(20))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found.count({"square": 361}) == 4 and len(found) == 80
    assert sorted(set(calls)) == list(range(20))
    assert slow_square(src, 19) == {"square": 361} and calls.count(19) <= 4


def _same_records(found, expected) -> bool:
    """Equal records, numbers to 1e-9: sums may differ in their last bits (DuckDB adds in parallel)."""
    if len(found) != len(expected):
        return False
    for a, b in zip(found, expected, strict=True):
        if a.keys() != b.keys():
            return False
        for key, value in b.items():
            if isinstance(value, float) and isinstance(a[key], float):
                if not math.isclose(a[key], value, rel_tol=1e-9):
                    return False
            elif a[key] != value:
                return False
    return True


# ---------------------------------------------------------------- helpers for a second store


def _batch(store_name: str, name: str):
    from shopdata.store import BatchInfo

    return BatchInfo(store_name, name, name, 1, "shopify", "traffic", name, {})


def _rows_for(store_name: str, records: list[dict]):
    from tests.unit.metrics.test_query import rows

    return rows("traffic", records, f"{store_name}-rows")


# ---------------------------------------------------------------- compiled once per shape, values bound


def test_sql_compiled_once_per_shape_gives_what_ibis_compiling_each_query_gives(store):
    """Every page's figures on the demo store through a Source (SQL compiled once per expression shape, the
    scope's values bound as parameters) equal the figures from Ibis compiling each query with the
    values inlined — for two different periods, so the second run reuses the first run's SQL."""
    from shopdata import demo
    from shopdata.metrics import funnel, overview, prices, promotion
    from shopdata.metrics.periods import comparison_period, preset_period
    from shopdata.metrics.query import currencies, data_range, for_currency

    demo.load_demo(store)
    direct, compiled = store.engine.ibis(), cache.uncached_source(store.engine)
    earliest, latest = data_range(direct, demo.DEMO_STORE)
    assert latest is not None

    def figures(backend, scope: Scope, compare_scope: Scope) -> dict:
        found: dict = {
            name: module.report_records(backend, scope, compare_scope)
            for name, module in (
                ("overview", overview),
                ("funnel", funnel),
                ("traffic", traffic),
                ("promotion", promotion),
                ("prices", prices),
            )
        }
        found["trend"] = overview.trend(backend, scope, compare_scope)
        found["availability"] = overview.availability(backend, (scope, compare_scope))
        for kind in overview.MOVERS:
            found[f"movers_{kind}"] = overview.movers(backend, scope, compare_scope, kind)
        for by in promotion.BREAKDOWNS:
            found[f"ads_{by}"] = promotion.breakdown(backend, scope, by)
        found["sources_trend"] = traffic.source_trend(backend, scope)
        found["product_funnel"] = funnel.breakdown_table(backend, scope, "product", "1h")
        found["prices"] = prices.price_page(backend, scope, None, {}).observations
        return found

    for preset in ("last_30", "last_7"):
        period = preset_period(preset, latest, earliest)
        compare = comparison_period(period, "previous")
        assert compare is not None
        currency = currencies(direct, demo.DEMO_STORE)[0]  # the app's default: the one with the most rows
        scope = for_currency(direct, Scope(demo.DEMO_STORE, period.start, period.end, currency))
        compare_scope = scope.shifted(compare.start, compare.end)
        expected, found = figures(direct, scope, compare_scope), figures(compiled, scope, compare_scope)
        assert expected["overview"] and expected["traffic"] and not expected["trend"].empty
        assert any(not expected[f"movers_{kind}"].empty for kind in overview.MOVERS)
        for name, value in expected.items():
            if isinstance(value, pd.DataFrame):
                pd.testing.assert_frame_equal(found[name], value, obj=name)
            else:
                assert _same_records(found[name], value), name


def test_an_immutable_result_is_handed_out_as_it_is_and_a_mutable_one_as_a_copy():
    import dataclasses

    @dataclasses.dataclass(frozen=True)
    class Event:
        day: date
        rival: str
        price: float | None = None

    @dataclasses.dataclass(frozen=True)
    class Events:
        events: tuple[Event, ...]
        checked: tuple[str, ...]

    @dataclasses.dataclass(frozen=True)
    class WithList:
        names: list[str]

    results = ResultCache()
    events = Events((Event(D1, "A", 9.0), Event(D2, "B")), ("prices",))
    results.put("events", events)
    found, value = results.get("events")
    assert found and value is events  # nothing in it can change: no copy is needed
    results.put("list", WithList(["a"]))
    _, first = results.get("list")
    first.names.append("b")  # a frozen record around a list is still changeable through the list
    _, again = results.get("list")
    assert again.names == ["a"] and again is not first

    @dataclasses.dataclass
    class Settable:
        rival: str

    results.put("settable", Settable("A"))
    _, record = results.get("settable")
    record.rival = "changed"  # not frozen: its fields can be set, so each reader gets its own
    assert results.get("settable")[1] == Settable("A")
    results.put("tuple of lists", (["a"], "b"))
    _, pair = results.get("tuple of lists")
    pair[0].append("c")
    assert results.get("tuple of lists")[1] == (["a"], "b")
