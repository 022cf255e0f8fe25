"""Currency choices no test checked until a mutation run (`make mutation MODULES=query`) changed them unnoticed:
the order of a store's currencies is by rows summed over every platform, and another store's rows never enter
it. Values worked out by hand, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from shopdata.metrics.cache import uncached_source
from shopdata.metrics.query import (
    UNKNOWN_CURRENCY,
    Scope,
    compute,
    currencies,
    measure_table,
    metric_expr,
    platform_currencies,
    run,
    scoped_rows,
    to_pandas,
    totals,
    totals_periods,
)
from shopdata.store import BatchInfo, Warehouse
from tests.unit.metrics.test_query import rows
from tests.unit.test_rollups import tables_read

D1, D2 = date(2024, 3, 1), date(2024, 3, 2)


def ads(platform: str, currency: str | None, n: int) -> list[dict]:
    return [
        dict(platform=platform, grain="campaign", date=D1, end_date=D1, campaign=f"c{i}", spend=1.0, currency=currency)
        for i in range(n)
    ]


def load(warehouse: Warehouse, store: str, records: list[dict], name: str, kind: str = "ads") -> None:
    info = BatchInfo(store, name, name, 1, records[0]["platform"], kind, name, {})
    warehouse.load(info, rows(kind, records, name))


def test_the_currency_with_most_rows_over_all_platforms_comes_first(store: Warehouse) -> None:
    # USD: 2 Shopify + 2 Amazon rows = 4; INR: 3 Flipkart rows. Each platform alone has fewer USD rows than INR.
    load(store, "S", ads("shopify", "USD", 2), "shopify.csv")
    load(store, "S", ads("amazon", "USD", 2), "amazon.csv")
    load(store, "S", ads("flipkart", "INR", 3), "flipkart.csv")
    assert currencies(store.engine.ibis(), "S") == ["USD", "INR"]


def test_another_stores_rows_neither_add_a_currency_nor_unsettle_a_platform(store: Warehouse) -> None:
    # Store S: Meta states USD on one export and nothing on another, so the unstated money is USD.
    load(store, "S", ads("meta", "USD", 1), "meta-usd.csv")
    load(store, "S", ads("meta", None, 2), "meta-nocur.csv")
    # Store T: the same platform in euros, and more of it.
    load(store, "T", ads("meta", "EUR", 5), "meta-eur.csv")
    backend = store.engine.ibis()
    assert platform_currencies(backend, "S") == {"meta": "USD"}
    assert currencies(backend, "S") == ["USD"]
    assert currencies(backend, "T") == ["EUR"]
    # Across both stores Meta states two currencies: its unstated rows are in no known one.
    assert currencies(backend, None) == ["EUR", "USD", UNKNOWN_CURRENCY]


def window_ads(store: Warehouse) -> Scope:
    """Two days of 10 each, and a report over the week 1–7 March that says 35 for the whole week; the scope is
    March."""
    days = [dict(ads("amazon", "USD", 1)[0], campaign="day", date=d, end_date=d, spend=10.0) for d in (D1, D2)]
    week = dict(ads("amazon", "USD", 1)[0], campaign="week", date=D1, end_date=date(2024, 3, 7), spend=35.0)
    load(store, "S", [*days, week], "amazon.csv")
    return Scope("S", date(2024, 3, 1), date(2024, 3, 31), "USD")


def test_daily_figures_leave_out_window_rows_and_totals_keep_them(store: Warehouse) -> None:
    march = window_ads(store)
    backend = store.engine.ibis()
    assert compute(backend, ["spend"], march).to_pylist() == [{"spend": 55.0}]
    assert compute(backend, ["spend"], march, daily=True).to_pylist() == [{"spend": 20.0}]
    # measure_table's callers (the traffic tree, the overview) get window rows unless they ask for days.
    assert run(backend, measure_table(backend, "ads", march, ["spend"]), march).to_pylist() == [{"spend": 55.0}]


def test_a_ratio_is_no_measure_summed_over_rows(store: Warehouse) -> None:
    with pytest.raises(ValueError, match="^ctr is a ratio, not a measure summed over rows$"):
        measure_table(store.engine.ibis(), "ads", Scope("S"), ["ctr"])


def test_through_a_source_each_shape_of_scope_gets_its_own_answer(store: Warehouse) -> None:
    # The app's path: a Source compiles one expression per shape of scope (store / dates / currency set or not,
    # the currency unknown or not, the platforms settled) and binds the values; each answer is checked by hand.
    load(store, "S", [dict(a, date=D1, end_date=D1, spend=10.0) for a in ads("amazon", "USD", 2)], "amz-1.csv")
    load(store, "S", [dict(a, date=D2, end_date=D2, spend=5.0) for a in ads("amazon", "USD", 1)], "amz-2.csv")
    load(store, "S", [dict(a, date=D1, end_date=D1, spend=7.0) for a in ads("meta", None, 1)], "meta.csv")
    source = uncached_source(store.engine)
    assert totals(source, ["spend"], Scope("S", D1, D2, "USD"))["spend"] == 25.0  # 10 + 10 + 5
    assert totals(source, ["spend"], Scope("S", None, D1, "USD"))["spend"] == 20.0  # the same but for the start
    assert totals(source, ["spend"], Scope(None, D1, D2, "USD"))["spend"] == 25.0  # S is the only store yet
    load(store, "T", [dict(a, date=D2, end_date=D2, spend=100.0) for a in ads("amazon", "EUR", 1)], "t.csv")
    assert totals(source, ["spend"], Scope("S", D1, D2, UNKNOWN_CURRENCY))["spend"] == 7.0
    assert totals(source, ["spend"], Scope("S", D2, D2, "USD"))["spend"] == 5.0
    assert totals(source, ["spend"], Scope("S"))["spend"] == 32.0  # every currency: 25 + 7
    assert totals(source, ["spend"], Scope(None))["spend"] == 132.0
    assert totals(source, ["spend"], Scope("T", None, D2))["spend"] == 100.0
    assert totals(source, ["spend"], Scope("T", D2, None, "EUR"))["spend"] == 100.0
    # Scopes alike but for one field, each after the other: an answer reusing the other's expression is wrong.
    assert totals(source, ["spend"], Scope("S", None, D2))["spend"] == 32.0
    assert totals(source, ["spend"], Scope("S", D2, D2))["spend"] == 5.0
    assert totals(source, ["spend"], Scope("S", D1, None))["spend"] == 32.0
    assert totals(source, ["spend"], Scope("S", D1, D1))["spend"] == 27.0
    assert totals(source, ["spend"], Scope("S", D1, D2, "EUR"))["spend"] is None  # no platform of S is in EUR
    assert totals(source, ["spend"], Scope(None, D1, D2, "USD"))["spend"] == 25.0
    # U: Amazon never states a currency there, so its money is unknown; in S, Amazon's is USD.
    load(store, "U", [dict(a, date=D1, end_date=D1, spend=3.0) for a in ads("amazon", None, 1)], "u.csv")
    assert totals(source, ["spend"], Scope("U", D1, D2, UNKNOWN_CURRENCY))["spend"] == 3.0
    for backend in (source, store.engine.ibis()):
        first, second = totals_periods(backend, ["spend"], [Scope("S", D1, D1, "USD"), Scope("S", D2, D2, "USD")])
        assert (first["spend"], second["spend"]) == (20.0, 5.0)


def test_a_source_runs_its_queries_through_the_sql_compiled_once(store: Warehouse, queries) -> None:
    # The page's path: a Source hands every query to Engine.ibis_arrow (SQL compiled once per shape, values
    # bound); a query compiled by Ibis each time gives the same numbers but costs most of a page's time.
    load(store, "S", ads("amazon", "USD", 2), "amz.csv")
    assert totals(uncached_source(store.engine), ["spend"], Scope("S", D1, D1))["spend"] == 2.0
    assert queries
    queries.clear()
    assert totals(store.engine.ibis(), ["spend"], Scope("S", D1, D1))["spend"] == 2.0
    assert not queries  # a bare backend has no compiled route


def test_a_platform_s_sole_currency_is_its_store_s_own(store: Warehouse) -> None:
    # S: Meta states USD on one export (1) and nothing on another (1 + 1): all of it USD. T: Meta in EUR.
    load(store, "S", ads("meta", "USD", 1), "meta-usd.csv")
    load(store, "S", ads("meta", None, 2), "meta-nocur.csv")
    load(store, "T", ads("meta", "EUR", 5), "meta-eur.csv")
    for backend in (store.engine.ibis(), uncached_source(store.engine)):
        assert totals(backend, ["spend"], Scope("S", D1, D1, "USD"))["spend"] == 3.0
        assert totals(backend, ["spend"], Scope("S", D1, D1, UNKNOWN_CURRENCY))["spend"] is None


def test_rows_and_expressions_keep_window_rows_unless_days_are_asked_for(store: Warehouse) -> None:
    march = window_ads(store)
    backend = store.engine.ibis()
    assert run(backend, scoped_rows(backend, "ads", march).count(), march).as_py() == 3
    assert run(backend, scoped_rows(backend, "ads", march, daily=True).count(), march).as_py() == 2
    assert run(backend, metric_expr(backend, ["spend"], march), march).to_pylist() == [{"spend": 55.0}]
    spends = to_pandas(backend, scoped_rows(backend, "ads", march).select("spend"), march)["spend"]
    assert sorted(spends) == [10.0, 10.0, 35.0]
    # A breakdown by day is daily whether or not it says so: the week's 35 is on no one day.
    by_day = compute(backend, ["spend"], march, by=["date"]).to_pylist()
    assert sorted((r["date"], r["spend"]) for r in by_day) == [(D1, 10.0), (D2, 10.0)]


def test_what_reads_a_scope_field_the_scope_lacks_is_refused_by_name(store: Warehouse) -> None:
    backend = store.engine.ibis()
    with pytest.raises(ValueError, match="^the expression reads the start of scope 0, which has none$"):
        run(backend, scoped_rows(backend, "ads", Scope("S", D1)).count(), Scope("S"))
    with pytest.raises(ValueError, match=r"^metrics from one table at a time, got \['ads', 'traffic'\]$"):
        metric_expr(backend, ["spend", "visitors"], Scope("S"))


def load_traffic(warehouse: Warehouse, records: list[dict], name: str) -> None:
    """Tmall traffic rows of store S on D1 in CNY."""
    day_rows = [dict(platform="tmall", currency="CNY", date=D1, end_date=D1, **r) for r in records]
    load(warehouse, "S", day_rows, name, kind="traffic")


def test_each_day_s_measure_comes_from_the_first_grain_that_has_it(store: Warehouse) -> None:
    # The shop's own figure (100 visitors) against its sources, which overlap (90 + 60 = 150): the shop grain
    # comes first. Without a shop row the sources' 150 would count.
    load_traffic(store, [dict(grain="shop", visitors=100.0)], "shop.csv")
    sources = [("搜索", 90.0), ("推荐", 60.0)]
    load_traffic(store, [dict(grain="source", source_1=s, source_level=1, visitors=v) for s, v in sources], "src.csv")
    for backend in (store.engine.ibis(), uncached_source(store.engine)):
        found = totals(backend, ["visitors", "checkout_sessions"], Scope("S", D1, D1, "CNY"))
        assert found == {"visitors": 100.0, "checkout_sessions": None}


def test_a_row_without_a_source_level_is_the_total_above_its_sources(store: Warehouse) -> None:
    # 商品效果: product P's day, 100 visitors, no source level; 商品来源: the same day by source, 60 + 40.
    # The split is never added to the total: 100, not 200.
    total = dict(grain="product", product_id="P", visitors=100.0)
    split = [
        dict(grain="product", product_id="P", source_1=s, source_level=1, visitors=v)
        for s, v in (("a", 60.0), ("b", 40.0))
    ]
    load_traffic(store, [total, *split], "products.csv")
    for backend in (store.engine.ibis(), uncached_source(store.engine)):
        assert totals(backend, ["visitors"], Scope("S", D1, D1, "CNY"))["visitors"] == 100.0


def test_a_scope_shifted_keeps_all_but_its_dates() -> None:
    scope = Scope("S", D1, D2, "USD", platform_currencies=(("amazon", "USD"),))
    assert scope.shifted(date(2024, 2, 1), date(2024, 2, 9)) == Scope(
        "S", date(2024, 2, 1), date(2024, 2, 9), "USD", platform_currencies=(("amazon", "USD"),)
    )


def test_a_source_answers_from_the_rollup_that_covers_the_question_and_a_bare_backend_from_the_rows(
    store: Warehouse,
) -> None:
    # A small case of tests/unit/test_rollups.py (whose randomised warehouse is too slow for a mutation run).
    march = window_ads(store)
    source, base = uncached_source(store.engine), store.engine.ibis()
    assert tables_read(metric_expr(source, ["spend", "cpc"], march)) == {"rollup_ads_daily"}
    assert tables_read(metric_expr(source, ["spend"], march, by=["campaign"])) == {"rollup_ads_breakdown"}
    assert tables_read(metric_expr(source, ["spend"], march, by=["keyword"])) == {"ads"}  # no rollup has it
    assert tables_read(metric_expr(base, ["spend"], march)) == {"ads"}
    for backend in (source, base):
        # The rollup holds each measure's row expression summed (ad_revenue: the rows' revenue, of which
        # these have none); read from it, never computed again over it.
        assert totals(backend, ["spend", "ad_revenue"], march) == {"spend": 55.0, "ad_revenue": None}
        assert compute(backend, ["spend"], march, daily=True).to_pylist() == [{"spend": 20.0}]
        by_campaign = compute(backend, ["spend"], march, by=["campaign"]).to_pylist()
        assert sorted((r["campaign"], r["spend"]) for r in by_campaign) == [("day", 20.0), ("week", 35.0)]
