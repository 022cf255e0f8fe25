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
    platform_currencies,
    run,
    totals,
    totals_periods,
)
from shopdata.store import BatchInfo, Warehouse
from tests.unit.metrics.test_query import rows

D1, D2 = date(2024, 3, 1), date(2024, 3, 2)


def ads(platform: str, currency: str | None, n: int) -> list[dict]:
    return [
        dict(platform=platform, grain="campaign", date=D1, end_date=D1, campaign=f"c{i}", spend=1.0, currency=currency)
        for i in range(n)
    ]


def load(warehouse: Warehouse, store: str, records: list[dict], name: str) -> None:
    info = BatchInfo(store, name, name, 1, records[0]["platform"], "ads", name, {})
    warehouse.load(info, rows("ads", records, name))


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


def test_daily_figures_leave_out_window_rows_and_totals_keep_them(store: Warehouse) -> None:
    # Two days of 10 each, and a report over the week 1–7 March that says 35 for the whole week.
    days = [dict(ads("amazon", "USD", 1)[0], campaign="day", date=d, end_date=d, spend=10.0) for d in (D1, D2)]
    week = dict(ads("amazon", "USD", 1)[0], campaign="week", date=D1, end_date=date(2024, 3, 7), spend=35.0)
    load(store, "S", [*days, week], "amazon.csv")
    backend = store.engine.ibis()
    march = Scope("S", date(2024, 3, 1), date(2024, 3, 31), "USD")
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
