"""Why an alert's revenue moved (shopdata/metrics/alerts.py `_drivers`): the cells it reads for the alert's day,
dimension and segment, and the factors it hands to overview.decompose — visitors × conversion × revenue per
buyer from the traffic cells, paid orders × revenue per order from the order cells. Written from a mutation run
(`make mutation MODULES=alerts`) in which no test looked at them; the factors are worked out by hand here, and
decompose's own arithmetic is tested in tests/unit/metrics/test_overview.py."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from shopdata.metrics import alerts

DAY, OTHER_DAY = date(2024, 3, 5), date(2024, 3, 6)


def cells(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "metric", "dimension", "segment", "actual", "expected"])


# The alert's cells (day, store level), and beside them the same metrics on another day, dimension or segment,
# which must not be read.
TRAFFIC = cells(
    (DAY, "revenue", "source", "搜索", 600.0, 1000.0),
    (DAY, "visitors", "source", "搜索", 80.0, 100.0),
    (DAY, "buyers", "source", "搜索", 6.0, 10.0),
    (OTHER_DAY, "revenue", "source", "搜索", 1.0, 2.0),
    (DAY, "revenue", "store", "搜索", 3.0, 4.0),
    (DAY, "revenue", "source", "推荐", 5.0, 6.0),
    (DAY, "visitors", "source", "推荐", 7.0, 8.0),
)


@pytest.fixture
def decomposed(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    calls: list[tuple] = []
    monkeypatch.setattr(alerts, "decompose", lambda *args: calls.append(args) or "decomposition")
    return calls


def test_traffic_revenue_is_split_into_visitors_conversion_and_revenue_per_buyer(decomposed: list[tuple]) -> None:
    assert alerts._drivers(TRAFFIC, "traffic", DAY, "source", "搜索") == "decomposition"
    # Expected: 100 visitors, 10 / 100 converting, 1000 / 10 a buyer; actual: 80, 6 / 80, 600 / 6.
    (r0, r1, before, now, formula), *_ = decomposed
    assert (r0, r1, formula) == (1000.0, 600.0, "traffic")
    assert before == {"visitors": 100.0, "conversion_rate": 0.1, "aov": 100.0}
    assert now == {"visitors": 80.0, "conversion_rate": pytest.approx(6 / 80), "aov": pytest.approx(100.0)}


def test_order_revenue_is_split_into_paid_orders_and_revenue_per_order(decomposed: list[tuple]) -> None:
    found = cells(
        (DAY, "order_revenue", "store", "", 300.0, 500.0),
        (DAY, "paid_orders", "store", "", 5.0, 10.0),
        (DAY, "paid_orders", "store", "other", 99.0, 99.0),
    )
    assert alerts._drivers(found, "orders", DAY, "store", "") == "decomposition"
    assert decomposed == [
        (500.0, 300.0, {"paid_orders": 10.0, "order_aov": 50.0}, {"paid_orders": 5.0, "order_aov": 60.0}, "orders")
    ]


def test_no_split_without_both_revenues_and_none_for_other_tables(decomposed: list[tuple]) -> None:
    # Segment 推荐 has no buyers cell: its factors lack them, but its revenue is known both ways.
    assert alerts._drivers(TRAFFIC, "traffic", DAY, "source", "推荐") == "decomposition"
    (_, _, before, now, _), *_ = decomposed
    assert before == {"visitors": 8.0, "conversion_rate": None, "aov": None}
    assert now == {"visitors": 7.0, "conversion_rate": None, "aov": None}
    decomposed.clear()
    missing_expected = cells((DAY, "revenue", "store", "", 600.0, np.nan), (DAY, "visitors", "store", "", 8.0, 9.0))
    assert alerts._drivers(missing_expected, "traffic", DAY, "store", "") is None
    missing_actual = cells((DAY, "order_revenue", "store", "", None, 500.0))
    assert alerts._drivers(missing_actual, "orders", DAY, "store", "") is None
    assert alerts._drivers(TRAFFIC, "traffic", date(2024, 1, 1), "source", "搜索") is None  # no cell that day
    assert alerts._drivers(TRAFFIC, "ads", DAY, "source", "搜索") is None
    assert decomposed == []


def test_a_ratio_of_an_unknown_or_zero_figure_is_unknown() -> None:
    assert alerts._div(6.0, 3.0) == 2.0
    assert alerts._div(0.0, 3.0) == 0.0
    for a, b in ((1.0, 0.0), (1.0, math.nan), (None, 2.0), (2.0, None)):
        assert alerts._div(a, b) is None
    assert alerts._number(np.float64(2.5)) == 2.5 and type(alerts._number(np.float64(2.5))) is float
    assert alerts._number(None) is None and alerts._number(np.nan) is None and alerts._number(pd.NA) is None
    assert alerts._cell(TRAFFIC, DAY, "buyers", "source", "推荐") == {"actual": None, "expected": None}
    with_gap = cells((DAY, "visitors", "store", "", np.nan, 4.0))
    assert alerts._cell(with_gap, DAY, "visitors", "store", "") == {"actual": None, "expected": 4.0}


def test_a_segment_without_buyers_has_no_split_rather_than_a_false_one() -> None:
    # 推荐 has revenue and visitors that day (¥5 against ¥6 expected, 7 visitors against 8) and no buyers:
    # conversion and revenue per buyer are unknown both times, so nothing says what the visitors explain.
    assert alerts._drivers(TRAFFIC, "traffic", DAY, "source", "推荐") is None
    # 搜索 has all three: ¥1,000 expected → ¥600, 100 → 80 visitors, 10 → 6 buyers, every factor positive.
    split = alerts._drivers(TRAFFIC, "traffic", DAY, "source", "搜索")
    assert split.method == "lmdi" and sum(split.contributions.values()) == pytest.approx(-400.0)
