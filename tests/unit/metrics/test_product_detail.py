"""One product's detail on hand-made exports, on DuckDB and PostgreSQL: its revenue and visitors per day
(product_daily), its traffic sources (product_sources) and the campaigns and keywords that spend on it
(product_ads). Every expected value is worked out by hand in the comment beside it."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from shopdata.metrics import cache, products, promotion, query
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load

D1, D2, D3 = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)
SCOPE = Scope("S", D1, D2, "CNY")  # D3 lies outside


def traffic(day: date, pid: str | None, visitors: float, buyers: float, revenue: float, source: str | None) -> dict:
    return dict(
        platform="tmall",
        grain="product" if pid else "source",
        date=day,
        end_date=day,
        product_id=pid,
        product_name={"P1": "Cream", "P2": "Serum"}.get(pid or ""),
        source_1=source,
        source_level=1 if source else None,
        visitors=visitors,
        buyers=buyers,
        revenue=revenue,
        currency="CNY",
    )


TRAFFIC = [
    # product totals, one row per product and day (生意参谋 商品效果)
    traffic(D1, "P1", 60, 6, 600, None),
    traffic(D2, "P1", 30, 3, 300, None),
    traffic(D1, "P2", 100, 1, 100, None),
    traffic(D3, "P1", 999, 9, 999, None),  # outside the scope
    # a shop-grain source row: no product, in no product's figures
    traffic(D1, None, 5000, 50, 9000, "手淘搜索"),
]
# Products by traffic source (商品来源): the same visitors as the product totals above, split by source.
BY_SOURCE = [
    traffic(D1, "P1", 40, 4, 400, "手淘搜索"),
    traffic(D1, "P1", 20, 2, 200, "万相台"),
    traffic(D2, "P1", 30, 3, 300, "手淘搜索"),
    traffic(D1, "P2", 100, 1, 100, "手淘搜索"),
    traffic(D1, None, 5000, 50, 9000, "手淘搜索"),  # the shop-grain row again
]


def order(oid: str, line: str, day: date, pid: str, amount: float, paid: bool = True) -> dict:
    placed = datetime(day.year, day.month, day.day, 10)
    return dict(
        platform="myshop",  # no platform rules: paid by its payment time, money as written per line
        grain="line",
        order_id=oid,
        line_no=line,
        order_time=placed,
        order_date=day,
        paid_time=placed if paid else None,
        buyer_id=f"buyer-{oid}",
        quantity=1.0,
        amount=amount,
        paid_amount=amount if paid else 0.0,
        product_id=pid,
        currency="CNY",
    )


ORDERS = [
    order("O1", "1", D1, "P1", 250),
    order("O1", "2", D1, "P1", 150),  # a second line of P1 in the same order: 250 + 150 = 400
    order("O2", "1", D1, "P2", 80),
    order("O3", "1", D2, "P1", 120),
    order("O4", "1", D2, "P2", 90, paid=False),  # placed (90), never paid: 0 revenue
    order("O5", "1", D3, "P1", 777),  # outside the scope
]


def ad(grain: str, spend: float, revenue: float, day: date = D1, platform: str = "tmall", **where) -> dict:
    return dict(
        platform=platform,
        grain=grain,
        date=day,
        end_date=day,
        spend=spend,
        revenue=revenue,
        currency="CNY",
        **where,
    )


ADS = [
    # 计划报表: the campaigns by ID and name; no product, so in no product's figures
    ad("campaign", 500, 2000, campaign_id="101", campaign="Search-serum"),
    ad("campaign", 300, 150, campaign_id="102", campaign="Launch"),
    # 商品报表: products by 计划ID only; the campaign's name comes from the 计划报表
    ad("ad", 300, 1500, campaign_id="101", product_id="P1", ad_name="Cream"),
    ad("ad", 100, 100, day=D2, campaign_id="101", product_id="P1", ad_name="Cream"),
    ad("ad", 200, 500, campaign_id="101", product_id="P2", ad_name="Serum"),
    ad("ad", 300, 150, campaign_id="102", product_id="P2", ad_name="Serum"),
    ad("ad", 900, 900, day=D3, campaign_id="102", product_id="P2", ad_name="Serum"),  # outside the scope
    # a keyword report of the same spend on P1 (finer grain: never added to the product rows above)
    ad("keyword", 50, 200, campaign_id="101", product_id="P1", keyword="玻尿酸精华"),
    ad("keyword", 30, 0, campaign_id="101", product_id="P1", keyword="补水精华"),
    # an Amazon-style row naming its product by SKU only
    ad("product", 40, 120, platform="amazon", campaign="SP-Auto", sku="SKU9"),
]


@pytest.fixture
def loaded(store: Warehouse) -> Warehouse:
    load(store, "traffic", TRAFFIC, "sycm")
    load(store, "orders", ORDERS, "orders")
    load(store, "ads", ADS[:2], "wxt-plans")
    load(store, "ads", ADS[2:7], "wxt-products")
    load(store, "ads", ADS[7:9], "wxt-keywords")
    load(store, "ads", ADS[9:], "amazon")
    return store


def records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame[columns].itertuples(index=False)]


@pytest.fixture
def route_backend(loaded: Warehouse, request: pytest.FixtureRequest):
    """The route a test is parametrized with: "ibis", a bare backend, or "page", a caching Source — whose order parts
    and labelled ad rows' rollup are temporary tables computed once per data generation — with no result cached."""
    cache.RESULTS.clear()
    yield loaded.engine.ibis() if request.param == "ibis" else cache.source(loaded)
    cache.RESULTS.clear()


ROUTES = pytest.mark.parametrize("route_backend", ["ibis", "page"], indirect=True)


@ROUTES
def test_product_daily(route_backend) -> None:
    daily = products.product_daily(route_backend, SCOPE)
    daily = daily.assign(date=daily["date"].dt.date)
    assert records(daily, ["date", "source", "key", "revenue", "visitors"]) == [
        (D1, "orders", "P1", 400.0, None),  # O1's two lines, 250 + 150
        (D1, "orders", "P2", 80.0, None),
        (D1, "traffic", "P1", 600.0, 60.0),
        (D1, "traffic", "P2", 100.0, 100.0),
        (D2, "orders", "P1", 120.0, None),
        (D2, "orders", "P2", 0.0, None),  # O4 was placed and never paid
        (D2, "traffic", "P1", 300.0, 30.0),
    ]


def test_a_pages_product_days_are_read_once_and_each_period_sliced_from_them(
    loaded: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a page the store's every product day is read once per data generation: another period then costs no
    query and has exactly its own days (2 and 3 March: O5's 777 and D3's traffic row, outside SCOPE, are in)."""
    page = cache.source(loaded)
    cache.RESULTS.clear()
    try:
        products.product_daily(page, SCOPE)
        ran: list[object] = []
        real = query.run
        monkeypatch.setattr(query, "run", lambda *args, **kwargs: ran.append(args) or real(*args, **kwargs))
        later = products.product_daily(page, Scope("S", D2, D3, "CNY"))
        assert ran == []
        later = later.assign(date=later["date"].dt.date)
        assert records(later, ["date", "source", "key", "revenue", "visitors"]) == [
            (D2, "orders", "P1", 120.0, None),
            (D2, "orders", "P2", 0.0, None),
            (D2, "traffic", "P1", 300.0, 30.0),
            (D3, "orders", "P1", 777.0, None),
            (D3, "traffic", "P1", 999.0, 999.0),
        ]
    finally:
        cache.RESULTS.clear()


def test_product_trend_of_one_product(loaded: Warehouse) -> None:
    daily = products.product_daily(loaded.engine.ibis(), SCOPE)
    row = {"order_keys": ("P1",), "traffic_keys": ("P1",)}
    trend = products.product_trend(daily, row, "orders")
    assert records(trend.assign(date=trend["date"].dt.date), ["date", "revenue", "visitors"]) == [
        (D1, 400.0, 60.0),  # revenue from the orders, visitors from the traffic report
        (D2, 120.0, 30.0),
    ]


def test_product_sources(store: Warehouse) -> None:
    load(store, "traffic", BY_SOURCE, "sycm-product-sources")
    backend = store.engine.ibis()
    assert products.has_product_sources(backend, SCOPE)
    found = products.product_sources(backend, SCOPE).sort_values(["product_id", "visitors"], ascending=[True, False])
    assert records(found, ["product_id", "source_1", "visitors", "buyers", "revenue"]) == [
        ("P1", "手淘搜索", 70.0, 7.0, 700.0),  # 40 + 30 over both days
        ("P1", "万相台", 20.0, 2.0, 200.0),
        ("P2", "手淘搜索", 100.0, 1.0, 100.0),  # the shop-grain 手淘搜索 row (5000) is no product's
    ]
    assert found["conversion_rate"].tolist() == pytest.approx([7 / 70, 2 / 20, 1 / 100])


def test_product_totals_and_their_split_by_source_are_counted_once(store: Warehouse) -> None:
    load(store, "traffic", TRAFFIC, "sycm")
    load(store, "traffic", BY_SOURCE, "sycm-product-sources")
    backend = store.engine.ibis()
    daily = products.product_daily(backend, SCOPE)
    daily = daily[daily["source"] == "traffic"].assign(date=lambda f: f["date"].dt.date)
    # The product totals, not totals + their split (P1 on D1: 60, not 60 + 40 + 20).
    assert records(daily, ["date", "key", "revenue", "visitors"]) == [
        (D1, "P1", 600.0, 60.0),
        (D1, "P2", 100.0, 100.0),
        (D2, "P1", 300.0, 30.0),
    ]
    found = products.product_sources(backend, SCOPE).sort_values(["product_id", "visitors"], ascending=[True, False])
    assert records(found, ["product_id", "source_1", "visitors"]) == [
        ("P1", "手淘搜索", 70.0),
        ("P1", "万相台", 20.0),
        ("P2", "手淘搜索", 100.0),
    ]


def test_no_product_sources_without_by_source_rows(loaded: Warehouse) -> None:
    assert not products.has_product_sources(loaded.engine.ibis(), SCOPE)  # product totals and a shop row only


@ROUTES
def test_product_ads_by_campaign(loaded: Warehouse, route_backend) -> None:
    found = products.product_ads(route_backend, SCOPE, "campaign")
    if isinstance(route_backend, cache.Source):  # summed from the labelled rows' rollup of this data generation
        labelled = loaded.engine.existing_materialized(route_backend.generation, (promotion.LABELLED_ROLLUP,))
        assert labelled is not None
    assert records(found, ["product_id", "campaign", "spend", "ad_revenue"]) == [
        ("P1", "Search-serum", 400.0, 1600.0),  # 300 + 100 (D2); the keyword rows (80) are the same money
        ("P2", "Launch", 300.0, 150.0),  # named by 计划ID 102 only: labelled from the 计划报表; D3 outside
        ("P2", "Search-serum", 200.0, 500.0),
        ("SKU9", "SP-Auto", 40.0, 120.0),  # the SKU stands in for the product ID
    ]
    assert found["roas"].tolist() == pytest.approx([4.0, 0.5, 2.5, 3.0])


@ROUTES
def test_product_ads_by_keyword(route_backend) -> None:
    found = products.product_ads(route_backend, SCOPE, "keyword")
    assert records(found, ["product_id", "keyword", "spend", "ad_revenue"]) == [
        ("P1", "玻尿酸精华", 50.0, 200.0),
        ("P1", "补水精华", 30.0, 0.0),
    ]
    assert found["roas"].tolist() == pytest.approx([4.0, 0.0])


def test_product_ads_on_a_page_follow_a_load(loaded: Warehouse) -> None:
    """On a page the expressions over the labelled ad rows are built once per shape and kept: the next rerun after
    a load reads the new data generation's rollup, not the one the kept expression was built over."""
    cache.RESULTS.clear()
    before = products.product_ads(cache.source(loaded), SCOPE, "campaign")
    assert records(before[before["product_id"] == "SKU9"], ["campaign", "spend"]) == [("SP-Auto", 40.0)]
    load(loaded, "ads", [ad("product", 25, 50, platform="amazon", campaign="SP-Auto", sku="SKU9")], "amazon-more")
    after = products.product_ads(cache.source(loaded), SCOPE, "campaign")
    cache.RESULTS.clear()
    assert records(after[after["product_id"] == "SKU9"], ["campaign", "spend", "ad_revenue"]) == [
        ("SP-Auto", 65.0, 170.0)  # 40 + 25, 120 + 50
    ]


def test_an_expression_kept_for_one_wrapper_is_never_another_wrappers(loaded: Warehouse) -> None:
    """The promotion page's labelled ad rows and the products page's (the same, with the SKU standing in for a
    missing product ID) share a rollup and a question; each gets its own expression on one connection."""
    page = cache.source(loaded)
    by_product = ["spend"], SCOPE
    labelled = query.compute(promotion._CampaignLabelled(page), *by_product, by=["product_id"]).to_pandas()
    filled = query.compute(products._AdsByProduct(promotion._CampaignLabelled(page)), *by_product, by=["product_id"])
    # The SKU-only row has no product ID for the promotion page (dropped from a breakdown by product)…
    assert sorted(records(labelled, ["product_id", "spend"])) == [("P1", 400.0), ("P2", 500.0)]
    # …and is product SKU9 for the products page: 300 + 100; 200 + 300 (D3 outside); 40.
    assert sorted(records(filled.to_pandas(), ["product_id", "spend"])) == [
        ("P1", 400.0),
        ("P2", 500.0),
        ("SKU9", 40.0),
    ]
