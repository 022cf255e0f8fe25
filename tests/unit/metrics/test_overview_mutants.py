"""What the overview says of a store's orders — their daily series and why revenue changed, in words — which no
overview test varied until a mutation run (`make mutation MODULES=overview`) changed it unnoticed. Values worked
out by hand, on DuckDB and PostgreSQL."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from shopdata.metrics import cache, overview
from shopdata.metrics.query import Scope
from shopdata.store import BatchInfo, Warehouse
from tests.unit.metrics.test_orders_mutants import paid_order
from tests.unit.metrics.test_query import load, rows


def test_the_trend_s_orders_count_zero_between_the_first_and_last_order_and_are_unknown_outside(
    store: Warehouse,
) -> None:
    # S's orders: 2 March one paid (10), 5 March two paid (20) and one unpaid; another store's on 8 March.
    # 1–10 March: 2–5 March are covered by S's order exports (3 and 4 March: no order, zero); 1 March and
    # 6–10 March lie outside them (unknown, not zero).
    load(
        store,
        "orders",
        [
            paid_order("A", "a", datetime(2024, 3, 2, 9)),
            paid_order("B", "b", datetime(2024, 3, 5, 9)),
            paid_order("C", "c", datetime(2024, 3, 5, 10)),
            paid_order("D", "d", datetime(2024, 3, 5, 11), paid=False),
        ],
        "web-orders",
    )
    # S's traffic report covers 1 and 9 March: it says nothing of orders on those days.
    visits = [dict(platform="webshop", grain="shop", date=date(2024, 3, d), end_date=date(2024, 3, d), visitors=100.0)
              for d in (1, 9)]  # fmt: skip
    load(store, "traffic", visits, "web-traffic")
    other = rows("orders", [paid_order("X", "x", datetime(2024, 3, 8, 9))], "other")
    store.load(BatchInfo("T", "other", "other", 1, "webshop", "orders", "other", {}), other)
    expected = [math.nan, 10.0, 0.0, 0.0, 20.0, *[math.nan] * 5], [math.nan, 1.0, 0.0, 0.0, 2.0, *[math.nan] * 5]
    scope = Scope("S", date(2024, 3, 1), date(2024, 3, 10))
    for backend in (store.engine.ibis(), cache.source(store)):
        trend = overview.trend(backend, scope, None)
        assert [d.date() for d in trend["period_date"]] == [date(2024, 3, d) for d in range(1, 11)]
        assert trend["visitors"].fillna(-1).tolist() == [100.0, *[-1.0] * 7, 100.0, -1.0]
        for column, values in zip(("order_revenue", "paid_orders"), expected, strict=True):
            got = trend[column].tolist()
            assert [None if math.isnan(v) else v for v in got] == [None if math.isnan(v) else v for v in values]
    # A period the orders do not reach at all: no order figures, not zeros.
    for backend in (store.engine.ibis(), cache.source(store)):
        later = overview.trend(backend, Scope("S", date(2024, 3, 20), date(2024, 3, 22)), None)
        assert later["order_revenue"].isna().all() and later["paid_orders"].isna().all()
    cache.RESULTS.clear()


def orders_in(day: int, month: int, count: int, each: float) -> list[dict]:
    return [
        paid_order(f"{month}-{day}-{n}", f"buyer-{month}-{n}", datetime(2024, month, day, 9 + n), amount=each)
        for n in range(count)
    ]


FEBRUARY, MARCH = Scope("S", date(2024, 2, 1), date(2024, 2, 29)), Scope("S", date(2024, 3, 1), date(2024, 3, 31))


@pytest.mark.parametrize(
    ("february", "march", "parts", "sentences"),
    [
        # 2 orders of 10 → 3 of 15: revenue 20 → 45. LMDI: L(45, 20) = 25 / ln 2.25 and ln 1.5 = ½ ln 2.25, so
        # each factor explains half of the 25.
        ((2, 10.0), (3, 15.0), (12.5, 12.5), (
            "Revenue rose ¥25.00: more paid orders +¥12.50, higher average order value +¥12.50.",
            "销售额增加 ¥25.00：支付订单增加 +¥12.50，笔单价提高 +¥12.50。",
        )),
        # 2 of 10 → 4 of 5: revenue 20 both times; L(20, 20) = 20, ± 20 ln 2 = 13.86.
        ((2, 10.0), (4, 5.0), (13.86, -13.86), (
            "Revenue did not change: more paid orders +¥13.86, lower average order value −¥13.86.",
            "销售额没有变化：支付订单增加 +¥13.86，笔单价降低 −¥13.86。",
        )),
        # 2 of 15 → 2 of 10: the orders stayed, 30 → 20 is all the order value.
        ((2, 15.0), (2, 10.0), (0.0, -10.0), (
            "Revenue fell ¥10.00: same paid orders +¥0.00, lower average order value −¥10.00.",
            "销售额减少 ¥10.00：支付订单持平 +¥0.00，笔单价降低 −¥10.00。",
        )),
    ],
)  # fmt: skip
def test_a_store_with_orders_alone_splits_its_revenue_change_into_orders_and_order_value(
    store: Warehouse, february, march, parts, sentences
) -> None:
    load(store, "orders", orders_in(10, 2, *february) + orders_in(10, 3, *march), "web-orders")
    for backend in (store.engine.ibis(), cache.source(store)):
        result = overview.revenue_decomposition(backend, MARCH, FEBRUARY)
        assert (result.formula, result.method) == ("orders", "lmdi")
        assert (result.revenue_previous, result.revenue) == (february[0] * february[1], march[0] * march[1])
        assert result.factors == {"paid_orders": (february[0], march[0]), "order_aov": (february[1], march[1])}
        assert [round(v, 2) for v in result.contributions.values()] == list(parts)
        assert list(result.contributions) == ["paid_orders", "order_aov"]
        for language, sentence in zip(("en", "zh"), sentences, strict=True):
            assert overview.decomposition_sentence(result, "CNY", language) == sentence
    assert (
        overview.revenue_decomposition(store.engine.ibis(), MARCH, Scope("S", date(2024, 1, 1), date(2024, 1, 31)))
        is None
    )
    cache.RESULTS.clear()


def test_a_factor_or_a_revenue_at_zero_is_split_by_substitution_not_logarithms() -> None:
    # Conversion 0 → 2 % (a traffic report that states revenue without buyers the period before): logarithms of
    # 0 do not exist. Visitors swapped in first (100 × 0 × 50 = 0), then conversion (100 × 0.02 × 50 = 100).
    result = overview.decompose(
        10.0, 100.0, {"visitors": 100.0, "conversion_rate": 0.0, "aov": 50.0},
        {"visitors": 100.0, "conversion_rate": 0.02, "aov": 50.0},
    )  # fmt: skip
    assert result.method == "sequential"
    assert result.contributions == pytest.approx({"visitors": -10.0, "conversion_rate": 100.0, "aov": 0.0})
    # Small but positive revenues are split by logarithms: L(2, 0.5) ln 2 = 1.5 / ln 4 × ln 2 = 0.75 each.
    small = overview.decompose(
        0.5, 2.0, {"paid_orders": 1.0, "order_aov": 0.5}, {"paid_orders": 2.0, "order_aov": 1.0}, "orders"
    )
    assert small.method == "lmdi" and small.contributions == pytest.approx({"paid_orders": 0.75, "order_aov": 0.75})
    assert (overview.signed_money(0.5, "CNY"), overview.signed_money(0.0, "CNY")) == ("+¥0.50", "+¥0.00")
