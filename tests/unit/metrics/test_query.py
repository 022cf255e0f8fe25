"""Every catalog metric on small hand-computed tables, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from shopdata.metrics.definitions import METRICS, measures_needed, metric
from shopdata.metrics.query import Scope, compute, currencies, data_range, platform_currencies, totals
from shopdata.store import TABLES, BatchInfo, Warehouse

D1, D2 = date(2024, 3, 1), date(2024, 3, 2)


def rows(kind: str, records: list[dict], name: str) -> pa.Table:
    columns = {c.name for c in TABLES[kind].columns} - {"store", "batch_id"}
    return pa.Table.from_pylist(
        [{c: r.get(c) for c in sorted(columns)} | {"nk": f"{name}-{n}"} for n, r in enumerate(records)],
        schema=pa.schema([(c, _arrow_type(TABLES[kind].column(c).type)) for c in sorted(columns)]),
    )


def _arrow_type(portable: str) -> pa.DataType:
    return {
        "text": pa.string(),
        "double": pa.float64(),
        "bigint": pa.int64(),
        "integer": pa.int32(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),
        "boolean": pa.bool_(),
    }[portable]


def load(store: Warehouse, kind: str, records: list[dict], name: str) -> None:
    store.load(BatchInfo("S", name, name, 1, records[0]["platform"], kind, name, {}), rows(kind, records, name))


TMALL = dict(platform="tmall", grain="source", currency="CNY", device="无线端")
TRAFFIC = [
    # Day 1: a 汇总 row and its two children (never added together), one other level-1 source.
    dict(
        TMALL,
        date=D1,
        end_date=D1,
        source_1="付费推广",
        source_level=1,
        visitors=100.0,
        buyers=4.0,
        revenue=400.0,
        cart_users=10.0,
    ),
    dict(
        TMALL,
        date=D1,
        end_date=D1,
        source_1="付费推广",
        source_2="万相台",
        source_level=2,
        visitors=70.0,
        buyers=3.0,
        revenue=300.0,
        cart_users=7.0,
    ),
    dict(
        TMALL,
        date=D1,
        end_date=D1,
        source_1="付费推广",
        source_2="淘宝客",
        source_level=2,
        visitors=30.0,
        buyers=1.0,
        revenue=100.0,
        cart_users=3.0,
    ),
    dict(
        TMALL,
        date=D1,
        end_date=D1,
        source_1="淘内免费",
        source_level=1,
        visitors=200.0,
        buyers=6.0,
        revenue=500.0,
        cart_users=20.0,
    ),
    dict(
        TMALL,
        date=D2,
        end_date=D2,
        source_1="淘内免费",
        source_level=1,
        visitors=100.0,
        buyers=0.0,
        revenue=0.0,
        cart_users=5.0,
    ),
    # Shopify: sessions by referrer (source grain, no money) and sales over time (shop grain).
    dict(
        platform="shopify",
        grain="source",
        date=D1,
        end_date=D1,
        source_1="Search",
        source_2="Google",
        source_level=2,
        visitors=50.0,
        sessions=60.0,
        orders=2.0,
        currency="USD",
    ),
    dict(
        platform="shopify",
        grain="source",
        date=D1,
        end_date=D1,
        source_1="Direct",
        source_2="(none)",
        source_level=2,
        visitors=30.0,
        sessions=35.0,
        orders=1.0,
        currency="USD",
    ),
    dict(platform="shopify", grain="shop", date=D1, end_date=D1, orders=3.0, revenue=90.0, currency="USD"),
]

ADS = [
    dict(
        platform="tmall",
        grain="campaign",
        date=D1,
        end_date=D1,
        campaign="A",
        impressions=1000.0,
        clicks=50.0,
        spend=100.0,
        conversions=5.0,
        revenue=400.0,
        currency="CNY",
    ),
    dict(
        platform="tmall",
        grain="campaign",
        date=D2,
        end_date=D2,
        campaign="B",
        impressions=500.0,
        clicks=0.0,
        spend=0.0,
        conversions=0.0,
        revenue=0.0,
        currency="CNY",
    ),
    # Amazon: the campaign report and the search-term report hold the same spend; count it once.
    dict(
        platform="amazon",
        grain="campaign",
        date=D1,
        end_date=D1,
        campaign="SP1",
        impressions=2000.0,
        clicks=40.0,
        spend=80.0,
        conversions=4.0,
        revenue=240.0,
        currency="USD",
    ),
    dict(
        platform="amazon",
        grain="search_term",
        date=D1,
        end_date=D1,
        campaign="SP1",
        search_term="oil",
        impressions=1500.0,
        clicks=30.0,
        spend=60.0,
        conversions=3.0,
        revenue=180.0,
        currency="USD",
    ),
    dict(
        platform="amazon",
        grain="search_term",
        date=D1,
        end_date=D1,
        campaign="SP1",
        search_term="balm",
        impressions=500.0,
        clicks=10.0,
        spend=20.0,
        conversions=1.0,
        revenue=60.0,
        currency="USD",
    ),
    # A window-scoped row (a whole month) only counts when the month is inside the scope.
    dict(
        platform="amazon",
        grain="campaign",
        date=date(2024, 2, 1),
        end_date=date(2024, 2, 29),
        campaign="SP0",
        impressions=9.0,
        clicks=9.0,
        spend=9.0,
        conversions=0.0,
        revenue=0.0,
        currency="USD",
    ),
]


@pytest.fixture
def loaded(store: Warehouse) -> Warehouse:
    load(store, "traffic", TRAFFIC[:5], "sycm")
    load(store, "traffic", TRAFFIC[5:7], "shopify-sessions")
    load(store, "traffic", TRAFFIC[7:], "shopify-sales")
    load(store, "ads", ADS[:2], "wxt")
    load(store, "ads", ADS[2:], "amazon")
    return store


CNY = Scope("S", D1, D2, "CNY")
USD = Scope("S", D1, D2, "USD")

# Hand-computed: CNY = tmall level-1 rows; USD = Shopify visitors from sessions, revenue from sales.
EXPECTED = {
    ("CNY", "visitors"): 400.0,
    ("CNY", "buyers"): 10.0,
    ("CNY", "orders"): None,  # 生意参谋 states buyers only: no orders, and buyers never stand in for them
    ("CNY", "revenue"): 900.0,
    ("CNY", "cart_users"): 35.0,
    ("CNY", "conversion_rate"): 10 / 400,
    ("CNY", "aov"): 90.0,
    ("CNY", "uv_value"): 900 / 400,
    ("CNY", "cart_rate"): 35 / 400,
    ("CNY", "spend"): 100.0,
    ("CNY", "impressions"): 1500.0,
    ("CNY", "clicks"): 50.0,
    ("CNY", "ad_conversions"): 5.0,
    ("CNY", "ad_revenue"): 400.0,
    ("CNY", "ctr"): 50 / 1500,
    ("CNY", "cpc"): 2.0,
    ("CNY", "cpm"): 100 / 1500 * 1000,
    ("CNY", "cvr"): 0.1,
    ("CNY", "cpa"): 20.0,
    ("CNY", "roas"): 4.0,
    ("CNY", "acos"): 0.25,
    ("USD", "visitors"): 80.0,
    ("USD", "sessions"): 95.0,
    ("USD", "orders"): 3.0,
    ("USD", "buyers"): 3.0,
    ("USD", "revenue"): 90.0,
    ("USD", "conversion_rate"): 3 / 80,
    ("USD", "aov"): 30.0,
    ("USD", "spend"): 80.0,
    ("USD", "impressions"): 2000.0,
    ("USD", "clicks"): 40.0,
    ("USD", "roas"): 3.0,
    ("USD", "cpa"): 20.0,
    ("USD", "acos"): 80 / 240,
}


@pytest.mark.parametrize("currency, name", sorted(EXPECTED), ids=[f"{c}-{n}" for c, n in sorted(EXPECTED)])
def test_metric_on_hand_computed_tables(loaded: Warehouse, currency: str, name: str) -> None:
    scope = CNY if currency == "CNY" else USD
    value = totals(loaded.engine.ibis(), [name], scope)[name]
    assert value == pytest.approx(EXPECTED[(currency, name)])


def test_every_catalog_metric_is_checked_somewhere() -> None:
    checked = {name for _, name in EXPECTED} | {"page_views", "product_visitors", "checkout_sessions"}
    assert {m.name for m in METRICS if m.domain in ("traffic", "ads")} <= checked


def test_zero_denominators_give_empty_not_errors(loaded: Warehouse) -> None:
    day2 = Scope("S", D2, D2, "CNY")
    values = totals(loaded.engine.ibis(), ["conversion_rate", "aov", "ctr", "cpc", "cpa", "roas", "acos"], day2)
    assert values["conversion_rate"] == 0.0  # 0 buyers of 100 visitors
    assert values["aov"] is None  # 0 buyers
    assert values["cpc"] is None and values["cpa"] is None and values["roas"] is None and values["acos"] is None
    assert values["ctr"] == 0.0


def test_subtotal_rows_are_not_added_to_their_children(loaded: Warehouse) -> None:
    by_level1 = compute(loaded.engine.ibis(), ["visitors", "revenue"], CNY, by=["source_1"]).to_pylist()
    assert by_level1 == [
        {"source_1": "付费推广", "visitors": 100.0, "revenue": 400.0},
        {"source_1": "淘内免费", "visitors": 300.0, "revenue": 500.0},
    ]
    by_level2 = compute(loaded.engine.ibis(), ["visitors"], CNY, by=["source_2"]).to_pylist()
    assert by_level2 == [{"source_2": "万相台", "visitors": 70.0}, {"source_2": "淘宝客", "visitors": 30.0}]


def test_breakdown_uses_the_grain_that_has_it(loaded: Warehouse) -> None:
    terms = compute(loaded.engine.ibis(), ["spend", "roas"], USD, by=["search_term"]).to_pylist()
    assert terms == [
        {"search_term": "balm", "spend": 20.0, "roas": 3.0},
        {"search_term": "oil", "spend": 60.0, "roas": 3.0},
    ]


def test_daily_trend_and_window_rows(loaded: Warehouse) -> None:
    backend = loaded.engine.ibis()
    daily = compute(backend, ["spend"], Scope("S", D1, D2, "CNY"), by=["date"]).to_pylist()
    assert [(str(r["date"])[:10], r["spend"]) for r in daily] == [("2024-03-01", 100.0), ("2024-03-02", 0.0)]
    february = Scope("S", date(2024, 2, 1), date(2024, 2, 29), "USD")
    assert totals(backend, ["spend"], february)["spend"] == 9.0
    part_of_february = Scope("S", date(2024, 2, 1), date(2024, 2, 15), "USD")
    assert totals(backend, ["spend"], part_of_february)["spend"] is None


def test_currencies_and_data_range(loaded: Warehouse) -> None:
    backend = loaded.engine.ibis()
    assert platform_currencies(backend, "S") == {"tmall": "CNY", "shopify": "USD", "amazon": "USD"}
    assert currencies(backend, "S") == ["CNY", "USD"]  # 5 traffic + 2 ad rows in CNY, 3 + 4 in USD: tie → name
    assert data_range(backend, "S") == (date(2024, 2, 1), D2)


def test_ratio_metrics_expand_to_their_measures() -> None:
    assert measures_needed(["roas", "spend", "cpc"]) == ["ad_revenue", "spend", "clicks"]
    assert metric("aov").ratio == ("revenue", "buyers")
