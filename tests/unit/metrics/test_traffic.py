"""Traffic sources on a small hand-made 2-level source table with 汇总 rows, on DuckDB and PostgreSQL.

Expected values are worked out by hand in the comments next to the rows.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from shopdata.errors import ShopdataError
from shopdata.metrics import traffic
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load

P1, P2 = date(2024, 3, 6), date(2024, 3, 7)  # comparison period
D1, D2 = date(2024, 3, 8), date(2024, 3, 9)  # current period
NOW = Scope("S", D1, D2, "CNY")
BEFORE = Scope("S", P1, P2, "CNY")
NOW_USD = Scope("S", D1, D2, "USD")


def sycm(day: date, source_1: str, source_2: str | None, visitors: float, buyers: float, revenue: float) -> dict:
    """A 生意参谋 店铺来源 row: a 汇总 row has the lower levels empty and source_level 1."""
    return dict(
        platform="tmall",
        grain="source",
        currency="CNY",
        device="无线端",
        date=day,
        end_date=day,
        source_1=source_1,
        source_2=source_2,
        source_level=2 if source_2 else 1,
        visitors=visitors,
        buyers=buyers,
        revenue=revenue,
    )


CURRENT = [
    sycm(D1, "付费推广", None, 100, 4, 400),
    sycm(D1, "付费推广", "万相台", 70, 3, 300),
    sycm(D1, "付费推广", "淘宝客", 30, 1, 100),
    sycm(D1, "淘内免费", None, 300, 9, 900),
    sycm(D1, "淘内免费", "手淘搜索", 200, 6, 600),
    sycm(D1, "淘内免费", "手淘推荐", 100, 3, 300),
    sycm(D1, "淘外流量", None, 0, 0, 0),
    sycm(D1, "淘外流量", "抖音", 0, 0, 0),  # a source without visitors
    sycm(D2, "付费推广", None, 50, 1, 100),
    sycm(D2, "付费推广", "万相台", 50, 1, 100),
    sycm(D2, "淘内免费", None, 150, 3, 300),
    sycm(D2, "淘内免费", "手淘搜索", 100, 2, 200),
    sycm(D2, "淘内免费", "手淘推荐", 50, 1, 100),
]
PREVIOUS = [
    sycm(P1, "付费推广", None, 100, 2, 300),
    sycm(P1, "付费推广", "万相台", 60, 1, 200),
    sycm(P1, "付费推广", "淘宝客", 40, 1, 100),
    sycm(P1, "淘内免费", None, 600, 15, 1500),
    sycm(P1, "淘内免费", "手淘搜索", 500, 12, 1200),
    sycm(P1, "淘内免费", "手淘推荐", 100, 3, 300),
    sycm(P1, "淘外流量", None, 20, 1, 50),
    sycm(P1, "淘外流量", "小红书", 20, 1, 50),
]


def shopify(source_1: str, source_2: str, visitors: float, orders: float) -> dict:
    """Shopify sessions by referrer: level-2 rows only, no 汇总 row, no money."""
    return dict(
        platform="shopify",
        grain="source",
        currency="USD",
        date=D1,
        end_date=D1,
        source_1=source_1,
        source_2=source_2,
        source_level=2,
        visitors=visitors,
        sessions=visitors + 5,
        orders=orders,
    )


SHOPIFY = [
    shopify("Search", "Google", 50, 2),
    shopify("Search", "Bing", 10, 0),
    shopify("Direct", "(none)", 40, 2),
    dict(platform="shopify", grain="shop", currency="USD", date=D1, end_date=D1, orders=4.0, revenue=90.0),
]


@pytest.fixture
def loaded(store: Warehouse) -> Warehouse:
    load(store, "traffic", CURRENT, "sycm-now")
    load(store, "traffic", PREVIOUS, "sycm-before")
    load(store, "traffic", SHOPIFY, "shopify")
    return store


def as_dict(frame: pd.DataFrame, column: str) -> dict:
    return {row["source"]: row[column] for row in frame.to_dict("records")}


def nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_level_one_counts_the_summary_rows_once(loaded: Warehouse) -> None:
    table = traffic.source_table(loaded.engine.ibis(), NOW)
    assert table["source"].tolist() == ["淘内免费", "付费推广", "淘外流量"]  # most visitors first
    # 汇总 rows only: 淘内免费 300 + 150, 付费推广 100 + 50, 淘外流量 0 (children are not added on top).
    assert as_dict(table, "visitors") == {"淘内免费": 450, "付费推广": 150, "淘外流量": 0}
    assert as_dict(table, "buyers") == {"淘内免费": 12, "付费推广": 5, "淘外流量": 0}
    assert as_dict(table, "revenue") == {"淘内免费": 1200, "付费推广": 500, "淘外流量": 0}
    assert as_dict(table, "share")["淘内免费"] == pytest.approx(450 / 600)
    assert as_dict(table, "share")["付费推广"] == pytest.approx(150 / 600)
    assert as_dict(table, "share")["淘外流量"] == 0
    assert table["share"].sum() == pytest.approx(1.0)
    assert as_dict(table, "conversion_rate")["淘内免费"] == pytest.approx(12 / 450)
    assert as_dict(table, "uv_value")["付费推广"] == pytest.approx(500 / 150)
    # Zero visitors: no conversion rate or UV value, not an error or infinity.
    assert nan(as_dict(table, "conversion_rate")["淘外流量"]) and nan(as_dict(table, "uv_value")["淘外流量"])


def test_a_summary_row_equals_the_sum_of_its_children(loaded: Warehouse) -> None:
    backend = loaded.engine.ibis()
    parents = as_dict(traffic.source_table(backend, NOW), "visitors")
    for parent in ("淘内免费", "付费推广"):
        children = traffic.source_table(backend, NOW, (parent,))
        assert children["visitors"].sum() == pytest.approx(parents[parent])
        assert children["share"].sum() == pytest.approx(1.0)
    children = traffic.source_table(backend, NOW, ("淘内免费",))
    assert children["source"].tolist() == ["手淘搜索", "手淘推荐"]
    assert as_dict(children, "visitors") == {"手淘搜索": 300, "手淘推荐": 150}
    assert as_dict(children, "share") == pytest.approx({"手淘搜索": 2 / 3, "手淘推荐": 1 / 3})
    assert as_dict(children, "uv_value") == pytest.approx({"手淘搜索": 800 / 300, "手淘推荐": 400 / 150})
    paid = traffic.source_table(backend, NOW, ("付费推广",))
    assert as_dict(paid, "visitors") == {"万相台": 120, "淘宝客": 30}
    assert as_dict(paid, "conversion_rate") == pytest.approx({"万相台": 4 / 120, "淘宝客": 1 / 30})


def test_totals_equal_the_summary_rows_not_double(loaded: Warehouse) -> None:
    backend = loaded.engine.ibis()
    every_row = sum(r["visitors"] for r in CURRENT)
    assert every_row == 1200  # what a naive sum over both levels would say
    totals = traffic.level_totals(backend, NOW)
    assert totals["visitors"] == 600  # 100 + 300 + 0 + 50 + 150: the 汇总 rows
    assert totals["buyers"] == 17 and totals["revenue"] == 1700
    assert totals["conversion_rate"] == pytest.approx(17 / 600)
    assert totals["uv_value"] == pytest.approx(1700 / 600)
    under = traffic.level_totals(backend, NOW, ("淘内免费",))
    assert (under["visitors"], under["revenue"]) == (450, 1200)


def test_all_sources_without_visitors(loaded: Warehouse) -> None:
    table = traffic.source_table(loaded.engine.ibis(), NOW, ("淘外流量",))
    assert table["source"].tolist() == ["抖音"]
    row = table.iloc[0]
    assert row["visitors"] == 0
    assert nan(row["share"]) and nan(row["conversion_rate"]) and nan(row["uv_value"])
    totals = traffic.level_totals(loaded.engine.ibis(), NOW, ("淘外流量",))
    assert totals["visitors"] == 0 and totals["conversion_rate"] is None and totals["uv_value"] is None


def test_level_two_only_sources_add_up_without_a_summary_row(loaded: Warehouse) -> None:
    """Shopify writes referrer source / name rows only; level 1 is their sum, revenue is not by source."""
    backend = loaded.engine.ibis()
    table = traffic.source_table(backend, NOW_USD)
    assert table["source"].tolist() == ["Search", "Direct"]
    assert as_dict(table, "visitors") == {"Search": 60, "Direct": 40}
    assert as_dict(table, "buyers") == {"Search": 2, "Direct": 2}  # completed checkouts
    assert as_dict(table, "share") == pytest.approx({"Search": 0.6, "Direct": 0.4})
    assert all(nan(v) for v in table["revenue"])
    assert as_dict(traffic.source_table(backend, NOW_USD, ("Search",)), "visitors") == {"Google": 50, "Bing": 10}


def test_deepest_level_and_source_names(loaded: Warehouse) -> None:
    backend = loaded.engine.ibis()
    assert traffic.deepest_level(backend, NOW) == 2
    assert traffic.source_names(backend, NOW) == ["淘内免费", "付费推广", "淘外流量"]
    assert traffic.source_names(backend, NOW, ("付费推广",)) == ["万相台", "淘宝客"]


def test_trend_keeps_the_top_sources_and_adds_up_the_rest(loaded: Warehouse) -> None:
    trend = traffic.source_trend(loaded.engine.ibis(), NOW, top=1)
    got = {(row["date"].date(), row["source"]): row["visitors"] for row in trend.to_dict("records")}
    # 淘内免费 has the most visitors; 付费推广 + 淘外流量 are "Other"; every day has every series.
    assert got == {(D1, "淘内免费"): 300, (D1, "Other"): 100, (D2, "淘内免费"): 150, (D2, "Other"): 50}
    full = traffic.source_trend(loaded.engine.ibis(), NOW, language="zh")
    by_day = {(row["date"].date(), row["source"]): row["visitors"] for row in full.to_dict("records")}
    assert by_day[(D2, "淘外流量")] == 0  # no row that day: 0, not a gap
    assert set(full["source"]) == {"淘内免费", "付费推广", "淘外流量"}  # three sources: no "其他"
    assert traffic.source_trend(loaded.engine.ibis(), NOW, ("淘内免费",))["source"].tolist()[:2] == [
        "手淘搜索",
        "手淘推荐",
    ]


def test_changes_and_the_loss_ranking(loaded: Warehouse) -> None:
    backend = loaded.engine.ibis()
    changes = traffic.source_changes(backend, NOW, BEFORE)
    rows = {row["source"]: row for row in changes.to_dict("records")}
    assert rows["付费推广"]["visitors_previous"] == 100 and rows["付费推广"]["visitors_change"] == 50
    assert rows["付费推广"]["visitors_change_pct"] == pytest.approx(0.5)
    assert rows["付费推广"]["revenue_change"] == 200 and rows["付费推广"]["revenue_change_pct"] == pytest.approx(2 / 3)
    assert rows["淘内免费"]["visitors_change"] == -150 and rows["淘内免费"]["visitors_change_pct"] == pytest.approx(
        -0.25
    )
    assert rows["淘内免费"]["revenue_change"] == -300 and rows["淘内免费"]["revenue_change_pct"] == pytest.approx(-0.2)
    assert rows["淘外流量"]["visitors_change"] == -20 and rows["淘外流量"]["visitors_change_pct"] == pytest.approx(-1.0)

    lost = traffic.losses(changes, "visitors")
    assert lost["source"].tolist() == ["淘内免费", "淘外流量"]  # gains (付费推广) are not losses
    assert lost["change"].tolist() == [-150, -20] and lost["previous"].tolist() == [600, 20]
    assert traffic.losses(changes, "revenue")["change"].tolist() == [-300, -50]
    assert traffic.loss_summary(changes, "en", "CNY") == (
        "淘内免费 lost the most visitors and the most revenue: 150 fewer visitors (-25.0%) and ¥300.00 less "
        "revenue (-20.0%)."
    )


def test_a_source_missing_from_one_period_counts_zero_there(loaded: Warehouse) -> None:
    changes = traffic.source_changes(loaded.engine.ibis(), NOW, BEFORE, ("淘外流量",))
    rows = {row["source"]: row for row in changes.to_dict("records")}
    # 小红书 had 20 visitors before and none now; 抖音 has 0 now and had no row before.
    assert (rows["小红书"]["visitors"], rows["小红书"]["visitors_previous"], rows["小红书"]["visitors_change"]) == (
        0,
        20,
        -20,
    )
    assert rows["小红书"]["revenue_change_pct"] == pytest.approx(-1.0)
    assert (rows["抖音"]["visitors"], rows["抖音"]["visitors_previous"], rows["抖音"]["visitors_change"]) == (0, 0, 0)
    assert nan(rows["抖音"]["visitors_change_pct"])  # 0 → 0: no relative change
    children = traffic.source_changes(loaded.engine.ibis(), NOW, BEFORE, ("淘内免费",))
    assert traffic.losses(children, "visitors")["source"].tolist() == ["手淘搜索"]
    assert traffic.losses(children, "visitors")["change"].tolist() == [-200]


def test_no_comparison_or_an_empty_comparison_period(loaded: Warehouse) -> None:
    backend = loaded.engine.ibis()
    for compare in (None, Scope("S", date(2023, 1, 1), date(2023, 1, 2), "CNY")):
        changes = traffic.source_changes(backend, NOW, compare)
        assert changes["source"].tolist() == ["淘内免费", "付费推广", "淘外流量"]
        assert changes["visitors_previous"].isna().all() and changes["visitors_change"].isna().all()
        assert traffic.losses(changes, "visitors").empty
        # Nothing was compared: no "no source lost" all-clear resting on an empty set.
        assert traffic.loss_summary(changes, "zh") == "未做对比：对比期此处没有分来源的流量数据，因此无法判断是否流失。"
        assert traffic.compared_sources(changes, "visitors") == 0


def test_loss_ranking_keeps_the_five_biggest_losses() -> None:
    changes = pd.DataFrame(
        {
            "source": list("ABCDEFGH"),
            "visitors": [1.0] * 8,
            "visitors_previous": [9.0, 3, 11, 2, 8, 5, 1, 1],
            "visitors_change": [-8.0, -2, -10, -1, -7, -4, 0, 0],
            "visitors_change_pct": [-8 / 9, -2 / 3, -10 / 11, -0.5, -7 / 8, -0.8, 0, 0],
            "revenue": [5.0, 1, 0, 0, 0, 0, 0, 9],
            "revenue_previous": [1.0, 2, 0, 0, 0, 0, 0, 3],
            "revenue_change": [4.0, -1, 0, 0, 0, 0, 0, 6],
            "revenue_change_pct": [4.0, -0.5, math.nan, math.nan, math.nan, math.nan, math.nan, 2.0],
        }
    )
    lost = traffic.losses(changes, "visitors")
    assert lost["source"].tolist() == ["C", "A", "E", "F", "B"]
    assert lost["change"].tolist() == [-10, -8, -7, -4, -2]
    assert traffic.losses(changes, "revenue")["source"].tolist() == ["B"]
    assert traffic.loss_summary(changes, "en", "USD") == (
        "C lost the most visitors: 10 fewer (-90.9%). B lost the most revenue: $1.00 less (-50.0%)."
    )
    assert traffic.loss_summary(changes, "zh", "CNY") == (
        "访客流失最多的是 C：减少 10（-90.9%）。销售额流失最多的是 B：减少 ¥1.00（-50.0%）。"
    )


def test_report_records(loaded: Warehouse) -> None:
    backend = loaded.engine.ibis()
    records = traffic.report_records(backend, NOW, BEFORE)
    assert records == traffic.report_records(backend, NOW, None, by="source_1", language="zh")
    assert [r["source"] for r in records] == ["淘内免费", "付费推广", "淘外流量"]
    assert set(records[0]) == {"source", "visitors", "buyers", "revenue", "conversion_rate", "share"}
    assert records[0]["visitors"] == 450 and records[0]["revenue"] == 1200
    assert records[0]["share"] == pytest.approx(0.75) and records[0]["conversion_rate"] == pytest.approx(12 / 450)
    assert records[2]["conversion_rate"] is None  # zero visitors

    level_2 = traffic.report_records(backend, NOW, BEFORE, by="source_2")
    assert set(level_2[0]) == {"source", "source_2", "visitors", "buyers", "revenue", "conversion_rate", "share"}
    assert [(r["source"], r["source_2"], r["visitors"]) for r in level_2] == [
        ("淘内免费", "手淘搜索", 300),
        ("淘内免费", "手淘推荐", 150),
        ("付费推广", "万相台", 120),
        ("付费推广", "淘宝客", 30),
        ("淘外流量", "抖音", 0),
    ]
    assert sum(r["share"] for r in level_2) == pytest.approx(1.0)
    assert level_2[0]["share"] == pytest.approx(300 / 600)
    with pytest.raises(ShopdataError):
        traffic.report_records(backend, NOW, BEFORE, by="campaign")


def test_empty_data(store: Warehouse) -> None:
    backend = store.engine.ibis()
    assert not traffic.has_source_data(backend, NOW)
    assert traffic.deepest_level(backend, NOW) == 0
    assert traffic.source_table(backend, NOW).empty
    assert traffic.source_trend(backend, NOW).empty
    assert traffic.source_changes(backend, NOW, BEFORE).empty
    assert traffic.report_records(backend, NOW, BEFORE) == []
    assert traffic.level_totals(backend, NOW) == {m: None for m in traffic.TABLE_METRICS}


def test_shop_rows_alone_are_not_source_data(store: Warehouse) -> None:
    load(store, "traffic", SHOPIFY[3:], "shopify-sales")
    assert not traffic.has_source_data(store.engine.ibis(), NOW_USD)
    load(store, "traffic", SHOPIFY[:1], "shopify-sessions")
    assert traffic.has_source_data(store.engine.ibis(), NOW_USD)
