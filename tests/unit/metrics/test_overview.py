"""Overview numbers on small hand-computed tables, on DuckDB and PostgreSQL."""

from __future__ import annotations

import math
from datetime import date

import pyarrow as pa
import pytest

from shopdata.errors import ShopdataError
from shopdata.metrics.overview import (
    COMPARISON,
    CURRENT,
    FACTORS,
    Decomposition,
    available,
    decompose,
    decomposition_sentence,
    decomposition_steps,
    kpis,
    missing_reason,
    movers,
    movers_basis,
    report_records,
    revenue_decomposition,
    trend,
)
from shopdata.metrics.query import Scope
from shopdata.store import TABLES, BatchInfo, Warehouse

D1, D2, D3, D4, D5 = (date(2024, 3, d) for d in range(1, 6))
BEFORE = Scope("S", D1, D2, "CNY")
NOW = Scope("S", D3, D4, "CNY")


def rows(kind: str, records: list[dict], prefix: str) -> pa.Table:
    types = {
        "text": pa.string(),
        "double": pa.float64(),
        "bigint": pa.int64(),
        "integer": pa.int32(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),
        "boolean": pa.bool_(),
    }
    columns = sorted({c.name for c in TABLES[kind].columns} - {"store", "batch_id"})
    schema = pa.schema([(c, types[TABLES[kind].column(c).type]) for c in columns])
    return pa.Table.from_pylist(
        [{c: r.get(c) for c in columns} | {"nk": f"{prefix}-{n}"} for n, r in enumerate(records)], schema=schema
    )


def load(store: Warehouse, kind: str, records: list[dict], name: str) -> None:
    store.load(BatchInfo("S", name, name, 1, records[0]["platform"], kind, name, {}), rows(kind, records, name))


def src(
    day: date,
    level: int,
    source_1: str,
    source_2: str | None,
    visitors: float,
    buyers: float,
    revenue: float,
    platform: str = "tmall",
) -> dict:
    return dict(
        platform=platform,
        grain="source",
        currency="CNY",
        date=day,
        end_date=day,
        source_1=source_1,
        source_2=source_2,
        source_level=level,
        visitors=visitors,
        buyers=buyers,
        revenue=revenue,
    )


def product(day: date, product_id: str, name: str, visitors: float, buyers: float, revenue: float) -> dict:
    return dict(
        platform="tmall",
        grain="product",
        currency="CNY",
        date=day,
        end_date=day,
        product_id=product_id,
        product_name=name,
        visitors=visitors,
        buyers=buyers,
        revenue=revenue,
    )


def campaign(
    day: date, name: str, spend: float, revenue: float, platform: str = "tmall", currency: str = "CNY"
) -> dict:
    return dict(
        platform=platform,
        grain="campaign",
        currency=currency,
        date=day,
        end_date=day,
        campaign=name,
        spend=spend,
        revenue=revenue,
        clicks=10.0,
        impressions=100.0,
    )


# 生意参谋: a 汇总 row above its children each day — only one level may count.
TMALL_SOURCES = [
    src(D1, 1, "淘内免费", None, 100, 4, 400),
    src(D1, 2, "淘内免费", "手淘搜索", 60, 3, 300),
    src(D1, 2, "淘内免费", "手淘推荐", 40, 1, 100),
    src(D2, 1, "付费推广", None, 100, 2, 200),
    src(D2, 2, "付费推广", "万相台", 100, 2, 200),
    src(D3, 1, "淘内免费", None, 150, 3, 450),
    src(D3, 2, "淘内免费", "手淘搜索", 90, 1, 150),
    src(D3, 2, "淘内免费", "手淘推荐", 60, 2, 300),
    src(D4, 1, "付费推广", None, 90, 4, 480),
    src(D4, 2, "付费推广", "万相台", 90, 4, 480),
]
# A platform that reports only a first-level source.
JD_SOURCES = [
    src(D1, 1, "京东搜索", None, 50, 1, 100, "jd"),
    src(D3, 1, "京东搜索", None, 40, 2, 120, "jd"),
    src(D5, 1, "京东搜索", None, 10, 0, 0, "jd"),
]
# 商品效果 on the same days as the source report: never added to the totals, only used for product movers.
TMALL_PRODUCTS = [
    product(D1, "P1", "精华液", 30, 2, 200),
    product(D1, "P2", "面霜", 20, 1, 50),
    product(D3, "P1", "精华液", 35, 1, 100),
    product(D3, "P2", "面霜", 25, 3, 300),
    product(D3, "P3", "新品", 10, 1, 60),
]
SHOPIFY = [
    dict(platform="shopify", grain="shop", currency="USD", date=D1, end_date=D1, orders=3.0, revenue=90.0),
    dict(platform="shopify", grain="shop", currency="USD", date=D3, end_date=D3, orders=4.0, revenue=120.0),
    dict(
        platform="shopify",
        grain="source",
        currency="USD",
        date=D1,
        end_date=D1,
        source_1="Search",
        source_2="Google",
        source_level=2,
        visitors=60.0,
        sessions=70.0,
        orders=3.0,
    ),
    dict(
        platform="shopify",
        grain="source",
        currency="USD",
        date=D3,
        end_date=D3,
        source_1="Search",
        source_2="Google",
        source_level=2,
        visitors=80.0,
        sessions=90.0,
        orders=4.0,
    ),
]
WANXIANGTAI = [
    campaign(D1, "A", 100, 300),
    campaign(D2, "B", 50, 100),
    campaign(D3, "A", 80, 320),
    campaign(D4, "B", 120, 120),
    campaign(D4, "C", 30, 90),
]
GOOGLE = [campaign(D1, "Brand", 20, 100, "google_ads", "USD"), campaign(D3, "Brand", 25, 90, "google_ads", "USD")]

# Hand totals in CNY. Before (D1–D2): tmall 200 visitors / 6 buyers / ¥600, jd 50 / 1 / ¥100.
# Now (D3–D4): tmall 240 / 7 / ¥930, jd 40 / 2 / ¥120. Ads: ¥150 spend → ¥400, then ¥230 → ¥530.
HAND_NOW = {
    "revenue": 1050.0,
    "visitors": 280.0,
    "buyers": 9.0,
    "orders": None,  # 生意参谋 and JD report buyers only: no orders, and buyers never stand in for them
    "conversion_rate": 9 / 280,
    "aov": 1050 / 9,
    "spend": 230.0,
    "roas": 530 / 230,
}
HAND_BEFORE = {
    "revenue": 700.0,
    "visitors": 250.0,
    "buyers": 7.0,
    "orders": None,
    "conversion_rate": 7 / 250,
    "aov": 100.0,
    "spend": 150.0,
    "roas": 400 / 150,
}


@pytest.fixture
def shop(store: Warehouse) -> Warehouse:
    load(store, "traffic", TMALL_SOURCES, "sycm-sources")
    load(store, "traffic", JD_SOURCES, "jd")
    load(store, "traffic", TMALL_PRODUCTS, "sycm-products")
    load(store, "traffic", SHOPIFY, "shopify")
    load(store, "ads", WANXIANGTAI, "wxt")
    load(store, "ads", GOOGLE, "google")
    return store


def test_kpi_values_previous_and_change(shop: Warehouse) -> None:
    cards = {k.metric: k for k in kpis(shop.engine.ibis(), NOW, BEFORE)}
    assert list(cards) == ["revenue", "visitors", "buyers", "orders", "conversion_rate", "aov", "spend", "roas"]
    for name, value in HAND_NOW.items():
        if value is None:
            assert cards[name].value is None and cards[name].previous is None, name
            assert cards[name].change is None, name
            continue
        assert cards[name].value == pytest.approx(value), name
        assert cards[name].previous == pytest.approx(HAND_BEFORE[name]), name
    assert cards["revenue"].change == pytest.approx(0.5)
    assert cards["visitors"].change == pytest.approx(0.12)
    assert cards["buyers"].change == pytest.approx(2 / 7)
    assert cards["conversion_rate"].change == pytest.approx((9 / 280 - 0.028) / 0.028)
    assert cards["aov"].change == pytest.approx(1 / 6)
    assert cards["spend"].change == pytest.approx(80 / 150)
    assert cards["roas"].change == pytest.approx((530 / 230 - 400 / 150) / (400 / 150))


def test_orders_are_empty_when_no_report_has_them_never_buyers(shop: Warehouse) -> None:
    backend = shop.engine.ibis()
    cny = {k.metric: k for k in kpis(backend, NOW, None)}
    assert cny["buyers"].value == pytest.approx(9.0)
    assert cny["orders"].value is None  # buyers 9 are not orders
    has = {"traffic": True, "ads": True}
    assert missing_reason(cny["orders"], has) == "overview.missing.no_column.traffic"
    assert missing_reason(cny["buyers"], has) is None
    assert missing_reason(cny["orders"], {"traffic": False, "ads": True}) == "overview.missing.no_rows.traffic"
    # With an order export the card stays empty (its orders are another count) and says where they are.
    with_orders = {"traffic": True, "ads": True, "orders": True}
    assert missing_reason(cny["orders"], with_orders) == "overview.missing.in_order_records"
    # Shopify's sales report has orders: they are counted as they are (4 on D3).
    usd = {k.metric: k for k in kpis(backend, Scope("S", D3, D4, "USD"), None)}
    assert usd["orders"].value == pytest.approx(4.0)
    assert missing_reason(usd["orders"], has) is None


def test_kpis_in_the_other_currency_see_only_its_platforms(shop: Warehouse) -> None:
    usd = {k.metric: k for k in kpis(shop.engine.ibis(), Scope("S", D3, D4, "USD"), Scope("S", D1, D2, "USD"))}
    assert (usd["revenue"].value, usd["revenue"].previous) == (pytest.approx(120.0), pytest.approx(90.0))
    assert (usd["visitors"].value, usd["buyers"].value) == (pytest.approx(80.0), pytest.approx(4.0))
    assert (usd["spend"].value, usd["roas"].value) == (pytest.approx(25.0), pytest.approx(90 / 25))


def test_division_by_zero_and_no_comparison(shop: Warehouse) -> None:
    # D5: jd has 10 visitors and no buyers; no ads at all.
    cards = {k.metric: k for k in kpis(shop.engine.ibis(), Scope("S", D5, D5, "CNY"), None)}
    assert cards["visitors"].value == pytest.approx(10.0)
    assert cards["conversion_rate"].value == pytest.approx(0.0)
    assert cards["aov"].value is None and cards["spend"].value is None and cards["roas"].value is None
    assert all(k.previous is None and k.change is None for k in cards.values())
    assert available(shop.engine.ibis(), Scope("S", D5, D5, "CNY")) == {"traffic": True, "ads": False}


def test_empty_store_gives_empty_values_not_errors(store: Warehouse) -> None:
    backend = store.engine.ibis()
    assert available(backend, NOW) == {"traffic": False, "ads": False}
    assert all(k.value is None and k.change is None for k in kpis(backend, NOW, BEFORE))
    assert revenue_decomposition(backend, NOW, BEFORE) is None
    assert all(movers(backend, NOW, BEFORE, kind).empty for kind in ("sources", "products", "campaigns"))
    frame = trend(backend, NOW, BEFORE)
    assert len(frame) == 4 and frame["revenue"].isna().all()


def test_trend_lays_the_comparison_on_the_current_days(shop: Warehouse) -> None:
    frame = trend(shop.engine.ibis(), Scope("S", D3, D5, "CNY"), Scope("S", date(2024, 2, 29), D2, "CNY"))
    current = frame[frame["series"] == CURRENT].set_index("day")
    assert [d.date() for d in current["date"]] == [D3, D4, D5]
    assert list(current["revenue"][:2]) == pytest.approx([450 + 120, 480])
    assert list(current["visitors"]) == pytest.approx([150 + 40, 90, 10])
    assert list(current["spend"][:2]) == pytest.approx([80, 150]) and math.isnan(current["spend"][2])
    previous = frame[frame["series"] == COMPARISON].set_index("day")
    assert [d.date() for d in previous["period_date"]] == [date(2024, 2, 29), D1, D2]
    assert [d.date() for d in previous["date"]] == [D3, D4, D5]  # drawn at the same day offset
    assert math.isnan(previous["revenue"][0])  # no data on 29 February
    assert list(previous["revenue"][1:]) == pytest.approx([400 + 100, 200])
    assert list(previous["spend"][1:]) == pytest.approx([100, 50])


def test_trend_without_comparison_has_only_the_current_series(shop: Warehouse) -> None:
    frame = trend(shop.engine.ibis(), NOW, None)
    assert set(frame["series"]) == {CURRENT} and len(frame) == 2


def test_decomposition_matches_hand_lmdi_and_adds_up(shop: Warehouse) -> None:
    result = revenue_decomposition(shop.engine.ibis(), NOW, BEFORE)
    assert result.method == "lmdi"
    assert (result.revenue_previous, result.revenue) == (pytest.approx(700.0), pytest.approx(1050.0))
    # L(1050, 700) = 350 / ln 1.5 = 863.2062…; part_i = L × ln(x1_i / x0_i)
    assert result.contributions["visitors"] == pytest.approx(97.82602513573092, rel=1e-9)  # ln(280/250)
    assert result.contributions["conversion_rate"] == pytest.approx(119.1101504792923, rel=1e-9)  # ln((9/280)/(7/250))
    assert result.contributions["aov"] == pytest.approx(133.0638243849768, rel=1e-9)  # ln((1050/9)/100)
    assert sum(result.contributions.values()) == pytest.approx(350.0, abs=1e-9)
    steps = decomposition_steps(result)
    assert list(steps["step"]) == ["revenue_previous", *FACTORS, "revenue"]
    assert list(steps["kind"]) == ["absolute", "relative", "relative", "relative", "total"]
    assert list(steps["amount"]) == pytest.approx(
        [700.0, 97.82602513573092, 119.1101504792923, 133.0638243849768, 1050.0]
    )


def test_decomposition_equal_revenue_limit() -> None:
    # Revenue unchanged (200) while visitors rose 25 % and conversion fell 20 %: L(R, R) = R.
    result = decompose(
        200.0,
        200.0,
        {"visitors": 100.0, "conversion_rate": 0.04, "aov": 50.0},
        {"visitors": 125.0, "conversion_rate": 0.032, "aov": 50.0},
    )
    assert result.method == "lmdi"
    assert result.contributions["visitors"] == pytest.approx(200 * math.log(1.25))
    assert result.contributions["conversion_rate"] == pytest.approx(200 * math.log(0.8))
    assert result.contributions["aov"] == 0.0
    assert sum(result.contributions.values()) == pytest.approx(0.0, abs=1e-9)


def test_decomposition_falls_back_to_sequential_substitution_when_a_factor_is_zero() -> None:
    # No buyers before: conversion 0, 客单价 unknown (it takes the current ¥100, so it is not blamed).
    result = decompose(
        0.0,
        400.0,
        {"visitors": 100.0, "conversion_rate": 0.0, "aov": None},
        {"visitors": 200.0, "conversion_rate": 0.02, "aov": 100.0},
    )
    assert result.method == "sequential"
    # Steps: 0 → 200×0×100 = 0 → 200×0.02×100 = 400 → 400.
    assert result.contributions == {
        "visitors": pytest.approx(0.0),
        "conversion_rate": pytest.approx(400.0),
        "aov": pytest.approx(0.0),
    }


def test_a_factor_borrowed_from_the_other_period_must_account_for_its_revenue() -> None:
    # Revenue now from a sales report alone (no visitors, no conversion now): borrowing February's 200 visitors
    # at 3 % would make ¥600 at ¥100 each, not the ¥500 sold, and the last step would blame an unchanged 客单价
    # for −¥100. No split rather than a false one.
    missing_now = {"visitors": None, "conversion_rate": None, "aov": 100.0}
    assert decompose(600.0, 500.0, {"visitors": 200.0, "conversion_rate": 0.03, "aov": 100.0}, missing_now) is None
    # Borrowed where it does account for it: 5 visitors at 20 % before, a ¥100 客单价 both times, revenue
    # ¥100 → ¥200; now's visitors unknown, borrowed (5) with now's 40 %: 5 × 0.4 × 100 = ¥200. Not LMDI (a
    # factor is missing): visitors 0, conversion +¥100, 客单价 0.
    result = decompose(
        100.0, 200.0, {"visitors": 5.0, "conversion_rate": 0.2, "aov": 100.0},
        {"visitors": None, "conversion_rate": 0.4, "aov": 100.0},
    )  # fmt: skip
    assert result.method == "sequential"
    assert result.contributions == pytest.approx({"visitors": 0.0, "conversion_rate": 100.0, "aov": 0.0})
    # A report with visitors and revenue but no buyers in either period: conversion and 客单价 are unknown both
    # times, so nothing says how much of ¥10 → ¥20 the doubled visitors explain.
    unknown = {"conversion_rate": None, "aov": None}
    assert decompose(10.0, 20.0, {"visitors": 100.0, **unknown}, {"visitors": 200.0, **unknown}) is None


def test_decomposition_needs_a_comparison_with_revenue(shop: Warehouse) -> None:
    backend = shop.engine.ibis()
    assert revenue_decomposition(backend, NOW, None) is None
    assert revenue_decomposition(backend, NOW, Scope("S", date(2023, 3, 3), date(2023, 3, 4), "CNY")) is None


def test_decomposition_sentence_in_both_languages() -> None:
    result = Decomposition(20000.0, 7700.0, {}, {"visitors": -9000.0, "conversion_rate": -4100.0, "aov": 800.0}, "lmdi")
    # The change reaches ¥10,000, so none of the sentence's amounts shows cents (the cards' rule, read together).
    assert decomposition_sentence(result, "CNY") == (
        "Revenue fell ¥12,300: fewer visitors −¥9,000, lower conversion −¥4,100, higher revenue per buyer +¥800."
    )
    assert decomposition_sentence(result, "CNY", "zh") == (
        "销售额减少 ¥12,300：访客减少 −¥9,000，转化率下降 −¥4,100，客单价提高 +¥800。"
    )


def test_decomposition_sentence_keeps_cents_when_every_amount_is_below_ten_thousand() -> None:
    result = Decomposition(9000.0, 1234.56, {}, {"visitors": -7000.0, "conversion_rate": -800.0, "aov": 34.56}, "lmdi")
    assert decomposition_sentence(result, "CNY") == (
        "Revenue fell ¥7,765.44: fewer visitors −¥7,000.00, lower conversion −¥800.00, higher revenue per buyer +¥34.56."
    )


def test_source_movers_rank_by_absolute_revenue_change(shop: Warehouse) -> None:
    frame = movers(shop.engine.ibis(), NOW, BEFORE, "sources")
    names = list(zip(frame["platform"], frame["source_1"], frame["source_2"], strict=False))
    # 万相台 +280, 手淘推荐 +200, 手淘搜索 −150, 京东搜索 (first level only) +20; subtotal rows never listed.
    assert names == [
        ("tmall", "付费推广", "万相台"),
        ("tmall", "淘内免费", "手淘推荐"),
        ("tmall", "淘内免费", "手淘搜索"),
        ("jd", "京东搜索", None),
    ]
    assert list(frame["revenue_change"]) == pytest.approx([280, 200, -150, 20])
    assert list(frame["revenue_previous"]) == pytest.approx([200, 100, 300, 100])
    assert list(frame["revenue_change_pct"]) == pytest.approx([1.4, 2.0, -0.5, 0.2])
    assert list(frame["visitors_change"]) == pytest.approx([-10, 20, 30, -10])
    assert len(movers(shop.engine.ibis(), NOW, BEFORE, "sources", top=2)) == 2


def test_product_movers_count_new_products_from_zero(shop: Warehouse) -> None:
    frame = movers(shop.engine.ibis(), NOW, BEFORE, "products")
    assert list(frame["product_id"]) == ["P2", "P1", "P3"]
    assert list(frame["product_name"]) == ["面霜", "精华液", "新品"]
    assert list(frame["revenue_change"]) == pytest.approx([250, -100, 60])
    assert frame["revenue_change_pct"][0] == pytest.approx(5.0)
    assert math.isnan(frame["revenue_change_pct"][2])  # nothing before: no percentage


def test_campaign_movers_rank_by_spend_change(shop: Warehouse) -> None:
    frame = movers(shop.engine.ibis(), NOW, BEFORE, "campaigns")
    assert list(frame["campaign"]) == ["B", "C", "A"]  # +70, +30, −20; Google (USD) is out
    assert list(frame["spend_change"]) == pytest.approx([70, 30, -20])
    assert list(frame["ad_revenue_change"]) == pytest.approx([20, 90, 20])
    assert list(frame["spend_change_pct"][:1]) == pytest.approx([1.4])


def test_movers_need_data_in_both_periods(shop: Warehouse) -> None:
    year_before = Scope("S", date(2023, 3, 3), date(2023, 3, 4), "CNY")
    assert movers(shop.engine.ibis(), NOW, year_before, "campaigns").empty
    assert movers(shop.engine.ibis(), NOW, None, "sources").empty


def test_report_records_shape(shop: Warehouse) -> None:
    records = report_records(shop.engine.ibis(), NOW, BEFORE)
    assert [set(r) for r in records] == [{"metric", "value", "previous", "change", "source"}] * 8
    by_name = {r["metric"]: r for r in records}
    assert by_name["revenue"] == {
        "metric": "revenue",
        "value": pytest.approx(1050.0),
        "previous": pytest.approx(700.0),
        "change": pytest.approx(0.5),
        "source": "traffic",
    }
    alone = report_records(shop.engine.ibis(), NOW, None, language="zh")
    assert all(r["previous"] is None and r["change"] is None for r in alone)
    assert {r["metric"]: r["value"] for r in alone}["spend"] == pytest.approx(230.0)


def test_report_records_by_platform(shop: Warehouse) -> None:
    records = report_records(shop.engine.ibis(), NOW, BEFORE, by="platform")
    found = {(r["platform"], r["metric"]): r for r in records}
    assert found[("tmall", "revenue")]["value"] == pytest.approx(930.0)
    assert found[("tmall", "revenue")]["previous"] == pytest.approx(600.0)
    assert found[("jd", "buyers")]["change"] == pytest.approx(1.0)
    assert found[("tmall", "spend")]["value"] == pytest.approx(230.0)
    assert ("jd", "spend") not in found and ("google_ads", "spend") not in found


def test_report_records_by_source_2_keeps_the_parent(shop: Warehouse) -> None:
    records = report_records(shop.engine.ibis(), NOW, BEFORE, by="source_2")
    revenue = {(r["source_1"], r["source_2"]): (r["value"], r["previous"]) for r in records if r["metric"] == "revenue"}
    assert revenue == {
        ("付费推广", "万相台"): (480.0, 200.0),
        ("淘内免费", "手淘推荐"): (300.0, 100.0),
        ("淘内免费", "手淘搜索"): (150.0, 300.0),
    }
    assert not any(r["metric"] == "spend" for r in records)


def test_report_records_by_day_pairs_days_by_offset(shop: Warehouse) -> None:
    records = report_records(shop.engine.ibis(), NOW, BEFORE, by="day")
    found = {(r["date"], r["metric"]): r for r in records}
    assert (found[("2024-03-03", "revenue")]["value"], found[("2024-03-03", "revenue")]["previous"]) == (570.0, 500.0)
    assert (found[("2024-03-04", "revenue")]["value"], found[("2024-03-04", "revenue")]["previous"]) == (480.0, 200.0)
    assert found[("2024-03-04", "spend")]["change"] == pytest.approx(2.0)  # ¥150 against ¥50
    assert found[("2024-03-03", "roas")]["value"] == pytest.approx(320 / 80)


def test_report_records_by_week_and_month(shop: Warehouse) -> None:
    backend = shop.engine.ibis()
    weeks = report_records(backend, Scope("S", date(2024, 2, 26), D4, "CNY"), None, by="week")
    revenue = {r["date"]: r["value"] for r in weeks if r["metric"] == "revenue"}
    assert revenue == {"2024-02-26": pytest.approx(500 + 200 + 570), "2024-03-04": pytest.approx(480.0)}
    months = report_records(backend, Scope("S", date(2024, 2, 28), D4, "CNY"), None, by="month")
    assert {r["date"] for r in months} == {"2024-03-01"}  # nothing in February
    assert {r["metric"]: r["value"] for r in months}["revenue"] == pytest.approx(1750.0)
    assert all(r["previous"] is None and r["change"] is None for r in months)


def test_report_records_reject_an_unknown_breakdown(shop: Warehouse) -> None:
    with pytest.raises(ShopdataError):
        report_records(shop.engine.ibis(), NOW, BEFORE, by="hour")


def test_trend_coverage_counts_days_with_any_trend_value() -> None:
    import pandas as pd

    from shopdata.metrics import overview

    metrics = [m for names in overview.TREND_METRICS.values() for m in names]
    current = [{"series": overview.CURRENT} | {m: 1.0 for m in metrics} for _ in range(10)]
    comparison = [{"series": overview.COMPARISON} | {m: None for m in metrics} for _ in range(10)]
    comparison[3][metrics[0]] = 5.0  # one stray day, one metric
    comparison[7][metrics[-1]] = 0.0  # a zero is data
    coverage = overview.trend_coverage(pd.DataFrame(current + comparison))
    assert (coverage.current_days, coverage.comparison_days, coverage.comparison_length) == (10, 2, 10)
    assert not coverage.comparable


def test_source_movers_of_a_referrer_report_without_revenue_rank_by_visitors(shop: Warehouse) -> None:
    """Shopify's sessions by referrer have visitors but no revenue: its sources still moved (60 → 80 visitors)."""
    now, before = Scope("S", D3, D4, "USD"), Scope("S", D1, D2, "USD")
    basis = movers_basis(shop.engine.ibis(), now, before, "sources")
    assert basis.measures == ("visitors",) and basis.rank == "visitors" and basis.compared == 1
    frame = movers(shop.engine.ibis(), now, before, "sources")
    assert list(zip(frame["source_1"], frame["source_2"], strict=False)) == [("Search", "Google")]
    assert list(frame["visitors_previous"]) == [60.0] and list(frame["visitors"]) == [80.0]
    assert list(frame["visitors_change_pct"]) == pytest.approx([20 / 60])
    assert "revenue" not in frame  # no revenue reported: never shown as zeros


def test_movers_basis_says_what_was_compared(shop: Warehouse) -> None:
    year_before = Scope("S", date(2023, 3, 3), date(2023, 3, 4), "CNY")
    assert movers_basis(shop.engine.ibis(), NOW, year_before, "campaigns").both_periods is False
    sources = movers_basis(shop.engine.ibis(), NOW, BEFORE, "sources")
    assert sources.rank == "revenue" and sources.measures == ("revenue", "visitors")
